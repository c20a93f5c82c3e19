package io.github.infermetrics.core.testing;

import io.github.infermetrics.core.snapshot.CounterPoint;
import io.github.infermetrics.core.snapshot.GaugePoint;
import io.github.infermetrics.core.snapshot.HistogramPoint;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricFamily;
import io.github.infermetrics.core.snapshot.MetricPoint;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.UnknownPoint;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Prometheus (the Debian package's {@code prometheus} and {@code promtool}) over scrapes backfilled at chosen
 * times, for checking a source's dashboard PromQL against the numbers the library computes: the scrapes are
 * written as OpenMetrics with timestamps, turned into TSDB blocks by {@code promtool tsdb create-blocks-from
 * openmetrics}, and served by a Prometheus on a free loopback port. Tests skip when the binaries are missing.
 *
 * <pre>{@code
 * try (PrometheusTsdb p = PrometheusTsdb.start(dir, List.of(first, second), List.of(t1, t2))) {
 *   List<PrometheusTsdb.Sample> r = p.query("sum by (model) (rate(requests_total[15s]))", t2);
 * }
 * }</pre>
 */
public final class PrometheusTsdb implements AutoCloseable {
  /** One sample of an instant query's result: its labels (without {@code __name__}) and value. */
  public record Sample(Map<String, String> labels, double value) {}

  private static final Pattern RESULT = Pattern.compile("\\{\"metric\":\\{([^}]*)\\},\"value\":\\[[-0-9.e+]+,"
      + "\"([^\"]+)\"\\]\\}");
  private static final Pattern LABEL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\":\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final Process process;
  private final Thread hook;
  private final int port;
  private final Path log;
  private final HttpClient client = HttpClient.newHttpClient();

  private PrometheusTsdb(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.hook = new Thread(process::destroyForcibly, "prometheus-tsdb-test-stop");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** A binary: {@code -Dinfermetrics.<name>=PATH}, or on the PATH; skips the test without it. */
  static Path binary(String name) {
    String prop = System.getProperty("infermetrics." + name);
    if (prop != null && Files.isExecutable(Path.of(prop))) {
      return Path.of(prop);
    }
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    Assumptions.abort("no " + name + " binary on the PATH (apt-get install prometheus, or -Dinfermetrics." + name
        + "=PATH); skipping the check against a real Prometheus");
    return null;
  }

  /**
   * Backfills the scrapes, each at its time, and starts Prometheus over them.
   *
   * @param dir an empty folder for the files and the TSDB
   * @param scrapes the scrapes, in time order
   * @param times their times, increasing, within the last days
   * @return the running server; close it
   * @throws IOException when a tool fails (its output is in the message)
   * @throws InterruptedException when interrupted while waiting
   */
  public static PrometheusTsdb start(Path dir, List<MetricSnapshot> scrapes, List<Instant> times)
      throws IOException, InterruptedException {
    Path promtool = binary("promtool");
    Path prometheus = binary("prometheus");
    Path input = dir.resolve("backfill.om");
    Files.writeString(input, openMetrics(scrapes, times), StandardCharsets.UTF_8);
    Path tsdb = dir.resolve("tsdb");
    Path toolLog = dir.resolve("promtool.log");
    Process tool = new ProcessBuilder(promtool.toString(), "tsdb", "create-blocks-from", "openmetrics",
        input.toString(), tsdb.toString()).redirectErrorStream(true).redirectOutput(toolLog.toFile()).start();
    if (!tool.waitFor(60, TimeUnit.SECONDS) || tool.exitValue() != 0) {
      tool.destroyForcibly();
      throw new IOException("promtool failed: " + Files.readString(toolLog));
    }
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 1m\nscrape_configs: []\n");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path log = dir.resolve("prometheus.log");
    Process p = new ProcessBuilder(prometheus.toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + tsdb, "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    PrometheusTsdb server = new PrometheusTsdb(p, port, log);
    try {
      server.awaitReady(Duration.ofSeconds(30));
    } catch (IOException | RuntimeException | InterruptedException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /**
   * The scrapes as one OpenMetrics exposition with timestamps: each family once, its samples at the first time, then
   * at the next. Families other than histograms are written as unknown under their own names (see
   * {@link #typeOf}).
   *
   * @param scrapes the scrapes
   * @param times their times
   * @return the text, ending with {@code # EOF}
   */
  public static String openMetrics(List<MetricSnapshot> scrapes, List<Instant> times) {
    if (scrapes.size() != times.size()) {
      throw new IllegalArgumentException(scrapes.size() + " scrapes but " + times.size() + " times");
    }
    Map<String, List<MetricFamily>> byName = new LinkedHashMap<>();
    for (MetricSnapshot s : scrapes) {
      for (MetricFamily f : s.families()) {
        byName.computeIfAbsent(f.name(), k -> new ArrayList<>());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String name : byName.keySet()) {
      String type = null;
      for (int i = 0; i < scrapes.size(); i++) {
        MetricFamily f = scrapes.get(i).family(name).orElse(null);
        if (f == null) {
          continue;
        }
        String ts = String.format(Locale.ROOT, " %.3f", times.get(i).toEpochMilli() / 1000.0);
        if (type == null) {
          type = typeOf(f);
          out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        }
        for (MetricPoint p : f.points()) {
          if (p instanceof HistogramPoint) {
            HistogramPoint h = (HistogramPoint) p;
            for (int b = 0; b < h.bucketCount(); b++) {
              double le = h.upperBound(b);
              sample(out, name + "_bucket", h.labels(), "le", le == Double.POSITIVE_INFINITY ? "+Inf"
                  : number(le), h.cumulativeCount(b), ts);
            }
            if (h.hasCount()) {
              sample(out, name + "_count", h.labels(), null, null, h.count(), ts);
            }
            if (h.hasSum()) {
              sample(out, name + "_sum", h.labels(), null, null, h.sum(), ts);
            }
          } else {
            sample(out, name, p.labels(), null, null, scalar(p), ts);
          }
        }
      }
    }
    return out.append("# EOF\n").toString();
  }

  /**
   * Histograms keep their type; every other family is written as unknown under its own name, which PromQL reads
   * alike and which lets a counter {@code x_total} sit beside a gauge {@code x}, as some servers write them.
   */
  private static String typeOf(MetricFamily f) {
    switch (f.type()) {
      case HISTOGRAM:
        return "histogram";
      case COUNTER:
      case GAUGE:
      case UNKNOWN:
        return "unknown";
      default:
        throw new IllegalArgumentException("family " + f.name() + " of type " + f.type() + " is not supported");
    }
  }

  private static double scalar(MetricPoint p) {
    if (p instanceof GaugePoint) {
      return ((GaugePoint) p).value();
    }
    if (p instanceof CounterPoint) {
      return ((CounterPoint) p).value();
    }
    if (p instanceof UnknownPoint) {
      return ((UnknownPoint) p).value();
    }
    throw new IllegalArgumentException("not a scalar point: " + p);
  }

  private static void sample(StringBuilder out, String name, Labels labels, String extraName, String extraValue,
      double value, String ts) {
    out.append(name);
    if (!labels.isEmpty() || extraName != null) {
      out.append('{');
      for (int i = 0; i < labels.size(); i++) {
        out.append(i == 0 ? "" : ",").append(labels.name(i)).append("=\"").append(escape(labels.value(i)))
            .append('"');
      }
      if (extraName != null) {
        out.append(labels.isEmpty() ? "" : ",").append(extraName).append("=\"").append(extraValue).append('"');
      }
      out.append('}');
    }
    out.append(' ').append(number(value)).append(ts).append('\n');
  }

  private static String number(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return Double.toString(v);
  }

  private static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private void awaitReady(Duration timeout) throws IOException, InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (!process.isAlive()) {
        throw new IOException("prometheus exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      try {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(base().resolve("/-/ready")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IOException("prometheus not ready after " + timeout + ": " + Files.readString(log));
  }

  private URI base() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /**
   * An instant query.
   *
   * @param promql the expression
   * @param at the evaluation time
   * @return the samples of its vector result, in Prometheus's order
   * @throws IOException when Prometheus rejects the expression (its error in the message) or the result is not a
   *     vector
   * @throws InterruptedException when interrupted
   */
  public List<Sample> query(String promql, Instant at) throws IOException, InterruptedException {
    String body = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&time="
        + String.format(Locale.ROOT, "%.3f", at.toEpochMilli() / 1000.0));
    if (!body.contains("\"resultType\":\"vector\"")) {
      throw new IOException("query " + promql + " did not give a vector: " + body);
    }
    List<Sample> out = new ArrayList<>();
    Matcher m = RESULT.matcher(body);
    while (m.find()) {
      Map<String, String> labels = new LinkedHashMap<>();
      Matcher l = LABEL.matcher(m.group(1));
      while (l.find()) {
        if (!l.group(1).equals("__name__")) {
          labels.put(l.group(1), l.group(2));
        }
      }
      out.add(new Sample(labels, Double.parseDouble(m.group(2).replace("+Inf", "Infinity")
          .replace("-Inf", "-Infinity"))));
    }
    return out;
  }

  /**
   * The values of a label among the series a selector matches, as Grafana's {@code label_values(selector, label)}
   * lists them.
   *
   * @param selector a series selector
   * @param label the label
   * @param from the start of the range to look in
   * @param to its end
   * @return the values, in Prometheus's order
   * @throws IOException when Prometheus rejects the selector
   * @throws InterruptedException when interrupted
   */
  public List<String> labelValues(String selector, String label, Instant from, Instant to)
      throws IOException, InterruptedException {
    String body = get("/api/v1/label/" + label + "/values?match[]=" + URLEncoder.encode(selector,
        StandardCharsets.UTF_8) + "&start=" + from.getEpochSecond() + "&end=" + to.getEpochSecond());
    List<String> out = new ArrayList<>();
    int data = body.indexOf("\"data\":[");
    Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(body.substring(data + 8, body.indexOf(']',
        data)));
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private String get(String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(base().resolve(pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200 || !r.body().contains("\"status\":\"success\"")) {
      throw new IOException(pathAndQuery + ": HTTP " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // shutting down: the hook runs anyway
    }
  }
}
