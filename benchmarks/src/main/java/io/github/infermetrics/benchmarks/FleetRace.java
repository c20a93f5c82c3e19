package io.github.infermetrics.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The fleet race of issue 23: what watching N targets costs vmagent, Prometheus in agent mode and
 * {@code infermetrics watch --remote-write}, measured the same way for each, one after the other on the same fleet.
 *
 * <p>One loopback {@link FleetServer} stands in for the N targets (every path answers the chosen fixture, gzip when
 * asked) and for the remote-write receiver (bodies read and discarded). Each scraper gets the same file_sd list of
 * N targets ({@code 127.0.0.1:PORT} with {@code __metrics_path__ = /node-I/metrics}), the same interval and remote
 * write to the same server; after the warm-up, the measured interval gives:
 *
 * <ul>
 *   <li><b>CPU per target scrape</b>: the process's user + system time ({@code /proc/PID/stat}, all its threads: GC
 *       and JIT included) over the interval, divided by the scrapes the server answered in it;
 *   <li><b>RSS per target</b>: {@code VmRSS} of {@code /proc/PID/status} at the end, divided by N;
 *   <li><b>on time</b>: scrapes answered over N × interval / period, the share of the schedule kept.
 * </ul>
 *
 * <p>Scrapers that are not installed are skipped with a message. Every program listens on loopback only and keeps
 * its data in a temporary directory, removed at the end. Rounds alternate the order of the scrapers.
 *
 * <pre>
 * apt-get install -y victoria-metrics prometheus      # vmagent 1.79.5, Prometheus 2.42 (Debian 12)
 * ./mvnw -B -q -pl cli,benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.github.infermetrics.benchmarks.FleetRace --targets 200,1000,5000
 * </pre>
 *
 * <p>Options: {@code --targets 200,1000,5000}, {@code --interval 5s}, {@code --warmup 20s}, {@code --measure 40s},
 * {@code --rounds 1}, {@code --fixture triton} (a short name of {@link Fixtures}), {@code --no-gzip},
 * {@code --only vmagent,prometheus,watch}, {@code --watch-jar cli/target/infermetrics.jar},
 * {@code --watch-jvm "-Xmx..."} (the JVM options of watch, {@code {heap}} standing for {@link #heapMiB}; several
 * settings separated by {@code |} run side by side as watch, watch-2, ...; the default is printed),
 * {@code --watch-args "..."} (extra watch arguments).
 */
public final class FleetRace {
  /**
   * The JVM options of watch unless {@code --watch-jvm} says otherwise: those the launcher {@code bin/infermetrics}
   * gives watch (read from it, so that the race runs what users run), and a heap bound, {@code {heap}} becoming the
   * heap a fleet of N targets is given, {@link #heapMiB}. See BENCHMARKS.md, "Fleet cost", for why.
   *
   * @param launcher the launcher script
   * @return the options
   * @throws IOException when the launcher cannot be read
   * @throws IllegalStateException when it sets no {@code watch_opts}
   */
  static String watchJvm(Path launcher) throws IOException {
    // the launcher's lines watch_opts="..." in order, "$watch_opts" standing for what the lines before it set
    String opts = null;
    for (String line : Files.readAllLines(launcher)) {
      String t = line.strip();
      if (t.startsWith("watch_opts=\"") && t.endsWith("\"") && t.length() > 12) {
        String v = t.substring(12, t.length() - 1);
        opts = v.replace("$watch_opts", opts == null ? "" : opts).strip();
      }
    }
    if (opts == null) {
      throw new IllegalStateException(launcher + " sets no watch_opts=\"...\": pass --watch-jvm");
    }
    return opts + " -Xms16m -Xmx{heap}m";
  }

  /**
   * The largest heap for N targets: 48 MiB and 256 KiB per target. The live heap is about 115 KB a target with the
   * Triton fixture (34.7 KB), and the survivor spaces that let a target's last scrape die young need room besides;
   * with 128 KiB a target the old generation of 1,000 targets filled and was collected in full every 4 s. The heap
   * itself stays near the live set ({@code MaxHeapFreeRatio}); this is only its bound.
   */
  static long heapMiB(int targets) {
    return 48 + (targets * 256L + 1023) / 1024;
  }

  private FleetRace() {}

  /** One scraper under test. */
  private interface Contender {
    String name();

    /** Why it cannot run here, or null. */
    String missing();

    /** Starts it on the N targets listed in {@code targets}. */
    Process start(Path dir, Path targets, int n, int serverPort, Duration interval) throws IOException;
  }

  /** What one measured run gave. */
  private record Result(String scraper, int targets, long scrapes, double cpuSeconds, long rssBytes,
      double seconds, long expected, String loadBefore, String loadAfter, long writes, long writeBytes) {
    double cpuPerScrapeMs() {
      return scrapes == 0 ? Double.NaN : cpuSeconds * 1000 / scrapes;
    }

    double rssPerTargetMiB() {
      return rssBytes / 1048576.0 / targets;
    }

    double onTime() {
      return expected == 0 ? Double.NaN : (double) scrapes / expected;
    }
  }

  /**
   * Runs the race.
   *
   * @param args see the class comment
   * @throws Exception when the server cannot start
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> o = options(args);
    List<Integer> sizes = new ArrayList<>();
    for (String s : o.getOrDefault("targets", "200,1000,5000").split(",")) {
      sizes.add(Integer.parseInt(s.trim()));
    }
    Duration interval = duration(o.getOrDefault("interval", "5s"));
    Duration warmup = duration(o.getOrDefault("warmup", "20s"));
    Duration measure = duration(o.getOrDefault("measure", "40s"));
    int rounds = Integer.parseInt(o.getOrDefault("rounds", "1"));
    String fixture = o.getOrDefault("fixture", "triton");
    boolean gzip = !o.containsKey("no-gzip");
    String watchJar = o.getOrDefault("watch-jar", "cli/target/infermetrics.jar");
    String watchJvm = o.containsKey("watch-jvm") ? o.get("watch-jvm") : watchJvm(Path.of("bin/infermetrics"));
    String watchArgs = o.getOrDefault("watch-args", "");
    List<String> only = List.of(o.getOrDefault("only", "vmagent,prometheus,watch").split(","));

    List<Contender> all = new ArrayList<>();
    for (String name : only) {
      switch (name.trim()) {
        case "vmagent" -> all.add(vmagent());
        case "prometheus" -> all.add(prometheusAgent());
        case "watch" -> {
          // several JVM settings of watch side by side: --watch-jvm "A|B"
          String[] jvms = watchJvm.split("\\|");
          for (int i = 0; i < jvms.length; i++) {
            all.add(watch(i == 0 ? "watch" : "watch-" + (i + 1), watchJar, jvms[i].trim(), watchArgs));
          }
        }
        default -> throw new IllegalArgumentException("--only: unknown scraper " + name);
      }
    }
    List<Contender> contenders = new ArrayList<>();
    for (Contender c : all) {
      String why = c.missing();
      if (why != null) {
        System.out.println("fleet-race: " + c.name() + " skipped: " + why);
      } else {
        contenders.add(c);
      }
    }
    if (contenders.isEmpty()) {
      System.out.println("fleet-race: nothing to run");
      return;
    }
    byte[] body = Fixtures.load(fixture);
    Path dir = Files.createTempDirectory("fleet-race-");
    List<Result> results = new ArrayList<>();
    try (FleetServer server = new FleetServer(body, gzip)) {
      System.out.printf(Locale.ROOT, "fleet-race: %s fixture, %,d bytes (%,d bytes gzip-compressed, served %s),"
              + " interval %s, warm-up %s, measured %s, %d round(s); %d cores; server on 127.0.0.1:%d%n",
          fixture, body.length, server.gzipBodyBytes(), gzip ? "when asked" : "never", interval, warmup, measure,
          rounds, Runtime.getRuntime().availableProcessors(), server.port());
      System.out.println("fleet-race: watch runs as java " + watchJvm + " -jar " + watchJar
          + " ({heap} = 48 + N/4 MiB: " + sizes.stream().map(n -> n + " targets " + heapMiB(n) + " MiB").toList()
          + ")");
      for (int n : sizes) {
        Path targets = targetsFile(dir, n, server.port());
        for (int round = 0; round < rounds; round++) {
          List<Contender> order = new ArrayList<>(contenders);
          // alternate who goes first, so that a drift in the machine's load does not favour one side
          for (int r = 0; r < (round + sizes.indexOf(n)) % order.size(); r++) {
            order.add(order.remove(0));
          }
          for (Contender c : order) {
            Result res = run(c, server, dir, targets, n, interval, warmup, measure);
            if (res != null) {
              results.add(res);
              print(res);
            }
          }
        }
      }
    } finally {
      deleteTree(dir);
    }
    summary(results);
  }

  private static Result run(Contender c, FleetServer server, Path dir, Path targets, int n, Duration interval,
      Duration warmup, Duration measure) throws Exception {
    Path work = Files.createDirectories(dir.resolve(c.name() + "-" + n));
    Process p = c.start(work, targets, n, server.port(), interval);
    try {
      Thread.sleep(warmup.toMillis());
      if (!p.isAlive()) {
        System.out.println("fleet-race: " + c.name() + " ended during the warm-up (exit " + p.exitValue() + "); see "
            + work.resolve("log.txt"));
        System.out.print(tail(work.resolve("log.txt")));
        return null;
      }
      String load0 = loadAverage();
      long cpu0 = cpuTicks(p.pid());
      long s0 = server.scrapes();
      long w0 = server.writes();
      long b0 = server.writeBytes();
      long t0 = System.nanoTime();
      Thread.sleep(measure.toMillis());
      long cpu1 = cpuTicks(p.pid());
      long s1 = server.scrapes();
      long t1 = System.nanoTime();
      long rss = rssBytes(p.pid());
      String load1 = loadAverage();
      double seconds = (t1 - t0) / 1e9;
      long expected = Math.round(n * seconds / (interval.toNanos() / 1e9));
      return new Result(c.name(), n, s1 - s0, (cpu1 - cpu0) / (double) clockTicks(), rss, seconds, expected,
          load0, load1, server.writes() - w0, server.writeBytes() - b0);
    } finally {
      p.destroy();
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
      }
      // let the machine settle: the next scraper must not pay for this one's exit
      Thread.sleep(2_000);
    }
  }

  // ---- the scrapers --------------------------------------------------------------------------------------------

  private static Contender vmagent() {
    return new Contender() {
      @Override
      public String name() {
        return "vmagent";
      }

      @Override
      public String missing() {
        return onPath("vmagent") ? null : "no vmagent on the PATH (apt-get install -y victoria-metrics)";
      }

      @Override
      public Process start(Path dir, Path targets, int n, int port, Duration interval) throws IOException {
        Path config = dir.resolve("vmagent.yml");
        Files.writeString(config, scrapeConfig(targets, interval));
        return launch(dir, List.of("vmagent",
            "-promscrape.config=" + config,
            "-remoteWrite.url=http://127.0.0.1:" + port + "/api/v1/write",
            "-remoteWrite.tmpDataPath=" + dir.resolve("vmagent-data"),
            "-httpListenAddr=127.0.0.1:" + freePort(),
            "-loggerLevel=WARN"));
      }
    };
  }

  private static Contender prometheusAgent() {
    return new Contender() {
      @Override
      public String name() {
        return "prometheus-agent";
      }

      @Override
      public String missing() {
        return onPath("prometheus") ? null : "no prometheus on the PATH (apt-get install -y prometheus)";
      }

      @Override
      public Process start(Path dir, Path targets, int n, int port, Duration interval) throws IOException {
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, scrapeConfig(targets, interval)
            + "remote_write:\n  - url: http://127.0.0.1:" + port + "/api/v1/write\n");
        // agent mode is a feature flag up to 2.x (--enable-feature=agent), a flag of its own (--agent) from 3.0
        String agent = prometheusMajor() >= 3 ? "--agent" : "--enable-feature=agent";
        return launch(dir, List.of("prometheus", agent,
            "--config.file=" + config,
            "--storage.agent.path=" + dir.resolve("agent-data"),
            "--web.listen-address=127.0.0.1:" + freePort(),
            "--log.level=warn"));
      }
    };
  }

  private static Contender watch(String name, String jar, String jvm, String extra) {
    return new Contender() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String missing() {
        return Files.isRegularFile(Path.of(jar)) ? null
            : jar + " is missing (./mvnw -B -q -pl cli -am package -DskipTests)";
      }

      @Override
      public Process start(Path dir, Path targets, int n, int port, Duration interval) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(words(jvm.replace("{heap}", Long.toString(heapMiB(n)))));
        cmd.add("-jar");
        cmd.add(Path.of(jar).toAbsolutePath().toString());
        cmd.add("watch");
        cmd.add("--interval");
        cmd.add(interval.toMillis() + "ms");
        cmd.add("--remote-write");
        cmd.add("http://127.0.0.1:" + port + "/api/v1/write");
        cmd.add("--file-sd");
        cmd.add(targets.toString());
        cmd.addAll(words(extra));
        return launch(dir, cmd);
      }
    };
  }

  /** The scrape configuration vmagent and Prometheus share: one job over the file_sd list. */
  private static String scrapeConfig(Path targets, Duration interval) {
    String every = interval.toMillis() + "ms";
    return "global:\n  scrape_interval: " + every + "\n  scrape_timeout: " + every + "\n"
        + "scrape_configs:\n  - job_name: fleet\n"
        + "    file_sd_configs:\n      - files: ['" + targets + "']\n";
  }

  /** N targets, one group each, as file_sd JSON: a path per target, and its name for watch. */
  private static Path targetsFile(Path dir, int n, int port) throws IOException {
    StringBuilder sb = new StringBuilder(n * 100).append("[\n");
    for (int i = 0; i < n; i++) {
      sb.append(i > 0 ? ",\n" : "").append("{\"targets\":[\"127.0.0.1:").append(port)
          .append("\"],\"labels\":{\"__metrics_path__\":\"/node-").append(i)
          .append("/metrics\",\"infermetrics_name\":\"node-").append(i).append("\"}}");
    }
    Path f = dir.resolve("targets-" + n + ".json");
    Files.writeString(f, sb.append("\n]\n"));
    return f;
  }

  private static Process launch(Path dir, List<String> cmd) throws IOException {
    Files.writeString(dir.resolve("command.txt"), String.join(" ", cmd) + "\n");
    return new ProcessBuilder(cmd).directory(dir.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(dir.resolve("log.txt").toFile())
        .start();
  }

  private static int prometheusMajor() {
    try {
      Process p = new ProcessBuilder("prometheus", "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("version (\\d+)\\.").matcher(out);
      return m.find() ? Integer.parseInt(m.group(1)) : 2;
    } catch (IOException e) {
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 2;
    }
  }

  // ---- /proc ----------------------------------------------------------------------------------------------------

  /** utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat, after the command's ")"). */
  static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // f[0] is field 3 (state): utime is field 14, stime field 15
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  static long rssBytes(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        String[] w = line.substring(6).trim().split("\\s+");
        return Long.parseLong(w[0]) * 1024;
      }
    }
    throw new IOException("no VmRSS for " + pid);
  }

  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
      String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      p.waitFor();
      return Long.parseLong(s);
    } catch (IOException | NumberFormatException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  // ---- output ---------------------------------------------------------------------------------------------------

  private static void print(Result r) {
    System.out.printf(Locale.ROOT, "%s %-16s N=%5d: %,7d scrapes in %.1f s (%.1f%% of the schedule), CPU %.2f s ="
            + " %.3f ms per scrape, RSS %.1f MiB = %.3f MiB per target; remote write %d requests, %.1f KiB/s;"
            + " load %s -> %s%n",
        Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), r.scraper(), r.targets(), r.scrapes(),
        r.seconds(), 100 * r.onTime(), r.cpuSeconds(), r.cpuPerScrapeMs(), r.rssBytes() / 1048576.0,
        r.rssPerTargetMiB(), r.writes(), r.writeBytes() / 1024.0 / r.seconds(), r.loadBefore(), r.loadAfter());
  }

  private static void summary(List<Result> results) {
    System.out.println();
    System.out.println("| targets | scraper | CPU per target scrape | RSS per target | on schedule | CPU vs vmagent"
        + " | RSS vs vmagent | load (1 min) |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (Result r : results) {
      Result vm = null;
      for (Result x : results) {
        // the vmagent run of the same size and round: the nearest one before or after in the list
        if (x.scraper().equals("vmagent") && x.targets() == r.targets()
            && (vm == null || Math.abs(results.indexOf(x) - results.indexOf(r))
            < Math.abs(results.indexOf(vm) - results.indexOf(r)))) {
          vm = x;
        }
      }
      String cpuRatio = vm == null ? "-" : String.format(Locale.ROOT, "%.2f×", r.cpuPerScrapeMs() / vm.cpuPerScrapeMs());
      String rssRatio = vm == null ? "-" : String.format(Locale.ROOT, "%.2f×", r.rssPerTargetMiB() / vm.rssPerTargetMiB());
      System.out.printf(Locale.ROOT, "| %,d | %s | %.3f ms | %.3f MiB | %.1f %% | %s | %s | %s → %s |%n", r.targets(),
          r.scraper(), r.cpuPerScrapeMs(), r.rssPerTargetMiB(), 100 * r.onTime(), cpuRatio, rssRatio,
          r.loadBefore().split(" ")[0], r.loadAfter().split(" ")[0]);
    }
  }

  // ---- small things --------------------------------------------------------------------------------------------

  private static Map<String, String> options(String[] args) {
    Map<String, String> o = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + args[i]);
      }
      String name = args[i].substring(2);
      if (name.equals("no-gzip")) {
        o.put(name, "");
      } else if (i + 1 < args.length) {
        o.put(name, args[++i]);
      } else {
        throw new IllegalArgumentException(args[i] + " needs a value");
      }
    }
    return o;
  }

  private static Duration duration(String s) {
    return Duration.parse("PT" + s.toUpperCase(Locale.ROOT));
  }

  private static List<String> words(String s) {
    List<String> out = new ArrayList<>();
    for (String w : s.trim().split("\\s+")) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }

  private static boolean onPath(String program) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, program))) {
        return true;
      }
    }
    return false;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())) + "\n";
    } catch (IOException e) {
      return "";
    }
  }

  private static void deleteTree(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
