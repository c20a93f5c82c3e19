package io.github.infermetrics.benchmarks;

import io.github.infermetrics.core.exposition.ExpositionEvent;
import io.github.infermetrics.core.exposition.ExpositionParser;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * infermetrics against VictoriaMetrics' Prometheus text parser ({@code lib/protoparser/prometheus}, Go), on the same
 * bytes, in one run: the two sides take turns batch by batch, so a busy machine slows both alike.
 *
 * <p>The Go side is {@code benchmarks/vmrace/main.go}, a small command of our own that calls VictoriaMetrics'
 * public {@code Rows.Unmarshal} from the Debian package's GOPATH; {@code benchmarks/parser-race.sh} builds it and
 * starts this class. Without Go (or without the Debian packages) the script says so and only our side runs.
 *
 * <p>What one parse is, on each side: the whole file, held in memory ({@code byte[]} here, a Go {@code string}
 * there), parsed into reused structures, and every sample's name, each label name and value, and the value touched.
 * Ours: the lenient streaming parser as {@link ParserBenchmark#drain} drives it (label values as views), and
 * {@link SnapshotReader#read(byte[])} (immutable families and points) for reference.
 *
 * <p>Method: a warm-up of each side on each file ({@code --warmup-ms}, default 3,000), then {@code --rounds}
 * (default 20) rounds in which each side runs one batch of {@code --parses} (default 200) parses of each file,
 * the side that goes first alternating from round to round. Reported per file and side: the best batch (MB/s of
 * the fastest batch: the figure least disturbed by other work on the machine), the mean over all batches (total
 * bytes / total time, as JMH's average time), and the spread (median batch time / best batch time). The snapshot
 * reader runs after the race, in rounds of its own: the garbage it makes would otherwise be collected while the
 * streaming parser or the Go side runs. The load average is printed before and after.
 *
 * <pre>
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * benchmarks/parser-race.sh                                   # builds the Go side, then runs this
 * java -cp benchmarks/target/benchmarks.jar io.github.infermetrics.benchmarks.ParserRace --vm benchmarks/target/vmrace
 * </pre>
 */
public final class ParserRace {
  private static final List<String> DEFAULT_FILES =
      List.of("alltypes", "node-exporter", "triton", "vllm", "vllm-v04", "neuron");

  private ParserRace() {}

  /** Where {@link #touch} results go, so that no part of a parse can be optimised away. */
  static volatile long sink;

  /**
   * Runs the race.
   *
   * @param args {@code [--vm PATH] [--files a,b] [--rounds N] [--parses N] [--warmup-ms N] [--fork]}; with
   *     {@code --fork} each file is raced in a JVM of its own, as JMH forks for each parameter: in one JVM the
   *     JIT compiles the parser for the mix of files and recompiles it as the next file starts
   * @throws Exception when the Go side fails
   */
  public static void main(String[] args) throws Exception {
    if (Arrays.asList(args).contains("--fork")) {
      forkPerFile(args);
      return;
    }
    String vm = null;
    List<String> files = DEFAULT_FILES;
    int rounds = 20;
    int parses = 200;
    int warmupMs = 3000;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (a) {
        case "--vm" -> vm = v;
        case "--files" -> files = List.of(v.split(","));
        case "--rounds" -> rounds = Integer.parseInt(v);
        case "--parses" -> parses = Integer.parseInt(v);
        case "--warmup-ms" -> warmupMs = Integer.parseInt(v);
        default -> throw new IllegalArgumentException("unknown option " + a
            + "; usage: ParserRace [--vm PATH] [--files a,b] [--rounds N] [--parses N] [--warmup-ms N] [--fork]");
      }
      i++;
    }
    GoSide go = null;
    if (vm == null || !Files.isExecutable(Path.of(vm))) {
      System.out.println("VictoriaMetrics side skipped: "
          + (vm == null ? "no --vm given" : vm + " is not there or not executable")
          + " (benchmarks/parser-race.sh builds it when Go and the Debian packages are installed)");
    } else {
      go = new GoSide(vm);
    }
    System.out.printf(Locale.ROOT, "load average before: %s%n", loadAverage());
    List<Entry> entries = new ArrayList<>();
    for (String name : files) {
      entries.add(new Entry(name, Fixtures.load(name), go, rounds));
    }
    for (Entry e : entries) {
      e.warm(warmupMs);
    }
    for (int r = 0; r < rounds; r++) {
      for (Entry e : entries) {
        e.round(r, parses);
      }
    }
    for (int r = 0; r < rounds; r++) {
      for (Entry e : entries) {
        e.snapshotRound(r, parses);
      }
    }
    if (go != null) {
      go.close();
    }
    System.out.printf(Locale.ROOT, "load average after: %s%n", loadAverage());
    System.out.printf(Locale.ROOT, "%d rounds x %d parses per batch, %d ms warm-up per side and file, JDK %s%n",
        rounds, parses, warmupMs, System.getProperty("java.version"));
    System.out.println();
    System.out.println("| file | bytes | samples | infermetrics best MB/s | VictoriaMetrics best MB/s | ratio (best) "
        + "| infermetrics mean MB/s | VictoriaMetrics mean MB/s | ratio (mean) | snapshot best / mean MB/s "
        + "| spread ours / VM |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (Entry e : entries) {
      System.out.println(e.row(parses));
    }
  }

  /** Runs each file's race in a JVM of its own, with this JVM's options, and prints their rows as one table. */
  private static void forkPerFile(String[] args) throws IOException, InterruptedException {
    List<String> rest = new ArrayList<>();
    List<String> files = DEFAULT_FILES;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--fork")) {
        continue;
      }
      if (args[i].equals("--files") && i + 1 < args.length) {
        files = List.of(args[++i].split(","));
        continue;
      }
      rest.add(args[i]);
    }
    System.out.printf(Locale.ROOT, "load average before: %s%n", loadAverage());
    List<String> rows = new ArrayList<>();
    String header = null;
    for (String file : files) {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ParserRace.class.getName(), "--files", file));
      cmd.addAll(rest);
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      List<String> out;
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        out = r.lines().toList();
      }
      if (p.waitFor() != 0) {
        throw new IOException("the race of " + file + " failed: " + String.join("\n", out));
      }
      for (String line : out) {
        if (line.startsWith("| file |")) {
          header = line;
        } else if (line.startsWith("| " + file + " |")) {
          rows.add(line);
        } else if (line.startsWith("VictoriaMetrics side skipped") && rows.isEmpty()) {
          System.out.println(line);
        }
      }
    }
    System.out.printf(Locale.ROOT, "load average after: %s%n", loadAverage());
    System.out.printf(Locale.ROOT, "one JVM per file (%s), JDK %s%n", String.join(" ", rest),
        System.getProperty("java.version"));
    System.out.println();
    System.out.println(header);
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    rows.forEach(System.out::println);
  }

  /**
   * One parse with the streaming parser, touching every sample's name, label names, label values and value.
   *
   * @param parser the parser, reset on the input
   * @return a checksum of what was read (with the sample count in its low bits)
   */
  static long touch(ExpositionParser parser) {
    long samples = 0;
    long checksum = 0;
    for (ExpositionEvent e; (e = parser.next()) != ExpositionEvent.END; ) {
      if (e == ExpositionEvent.SAMPLE) {
        samples++;
        checksum += parser.name().length();
        for (int i = 0, n = parser.labelCount(); i < n; i++) {
          checksum += parser.labelName(i).length() + parser.labelValue(i).length();
        }
        checksum += Double.doubleToRawLongBits(parser.value());
      }
    }
    return (checksum << 20) + samples;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static double mbPerSecond(long bytes, long nanos) {
    return bytes * 1000.0 / nanos;
  }

  /** One file: its bytes, our parsers, and the batch times of each side. */
  private static final class Entry {
    final String name;
    final byte[] bytes;
    final GoSide go;
    final ExpositionParser parser;
    final SnapshotReader reader;
    final long samples;
    final long[] stream;
    final long[] snapshot;
    final long[] victoria;
    long vmRows = -1;

    Entry(String name, byte[] bytes, GoSide go, int rounds) throws IOException {
      this.name = name;
      this.bytes = bytes;
      this.go = go;
      this.parser = ExpositionParser.builder().format(Fixtures.format(name)).build();
      this.reader = new SnapshotReader(ExpositionParser.builder().format(Fixtures.format(name)).build());
      this.samples = touch(parser.reset(bytes)) & 0xFFFFF;
      this.stream = new long[rounds];
      this.snapshot = new long[rounds];
      this.victoria = new long[rounds];
      if (go != null) {
        String[] f = go.ask("load " + name + " " + Fixtures.path(name), "loaded");
        vmRows = Long.parseLong(f[3]);
        if (!f[4].equals("0")) {
          System.out.println("note: VictoriaMetrics reports " + f[4] + " invalid lines in " + name);
        }
      }
    }

    void warm(int ms) throws IOException {
      long until = System.nanoTime() + ms * 1_000_000L;
      long s = 0;
      while (System.nanoTime() < until) {
        for (int i = 0; i < 20; i++) {
          s += touch(parser.reset(bytes));
        }
      }
      until = System.nanoTime() + ms * 1_000_000L;
      while (System.nanoTime() < until) {
        for (int i = 0; i < 20; i++) {
          s += reader.read(bytes).sampleCount();
        }
      }
      sink = s;
      if (go != null) {
        go.ask("warm " + name + " " + ms, "warmed");
      }
    }

    void round(int r, int parses) throws IOException {
      if (go != null && (r & 1) == 1) {
        victoria[r] = go.batch(name, parses);
      }
      long s = 0;
      long t0 = System.nanoTime();
      for (int i = 0; i < parses; i++) {
        s += touch(parser.reset(bytes));
      }
      long t1 = System.nanoTime();
      sink = s;
      stream[r] = t1 - t0;
      if (go != null && (r & 1) == 0) {
        victoria[r] = go.batch(name, parses);
      }
    }

    void snapshotRound(int r, int parses) {
      long s = 0;
      long t0 = System.nanoTime();
      for (int i = 0; i < parses; i++) {
        s += reader.read(bytes).sampleCount();
      }
      snapshot[r] = System.nanoTime() - t0;
      sink = s;
    }

    String row(int parses) {
      long total = (long) bytes.length * parses;
      double ourBest = mbPerSecond(total, min(stream));
      double ourMean = mbPerSecond(total * stream.length, sum(stream));
      String snap = String.format(Locale.ROOT, "%,.0f / %,.0f", mbPerSecond(total, min(snapshot)),
          mbPerSecond(total * snapshot.length, sum(snapshot)));
      String samplesCell = go == null || vmRows == samples ? String.format(Locale.ROOT, "%,d", samples)
          : String.format(Locale.ROOT, "%,d (VictoriaMetrics %,d)", samples, vmRows);
      if (go == null) {
        return String.format(Locale.ROOT, "| %s | %,d | %s | %,.0f | — | — | %,.0f | — | — | %s | %.2f / — |",
            name, bytes.length, samplesCell, ourBest, ourMean, snap, spread(stream));
      }
      double vmBest = mbPerSecond(total, min(victoria));
      double vmMean = mbPerSecond(total * victoria.length, sum(victoria));
      return String.format(Locale.ROOT,
          "| %s | %,d | %s | %,.0f | %,.0f | **%.2f×** | %,.0f | %,.0f | %.2f× | %s | %.2f / %.2f |",
          name, bytes.length, samplesCell, ourBest, vmBest, ourBest / vmBest, ourMean, vmMean, ourMean / vmMean,
          snap, spread(stream), spread(victoria));
    }

    private static long min(long[] a) {
      return Arrays.stream(a).min().orElseThrow();
    }

    private static long sum(long[] a) {
      return Arrays.stream(a).sum();
    }

    /** Median batch time over the best: 1.00 on a quiet machine. */
    private static double spread(long[] a) {
      long[] s = a.clone();
      Arrays.sort(s);
      return (double) s[s.length / 2] / s[0];
    }
  }

  /** The Go process: one command line in, one answer line out. */
  private static final class GoSide {
    private final Process process;
    private final PrintWriter in;
    private final BufferedReader out;

    GoSide(String path) throws IOException {
      process = new ProcessBuilder(path).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      in = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
      out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    String[] ask(String command, String expected) throws IOException {
      in.println(command);
      String line = out.readLine();
      if (line == null || !line.startsWith(expected + " ")) {
        throw new UncheckedIOException(new IOException("the Go side answered " + line + " to " + command));
      }
      return line.split(" ");
    }

    long batch(String name, int parses) throws IOException {
      return Long.parseLong(ask("run " + name + " " + parses, "ran")[2]);
    }

    void close() throws InterruptedException {
      in.println("quit");
      process.waitFor();
    }
  }
}
