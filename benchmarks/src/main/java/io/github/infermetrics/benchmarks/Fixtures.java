package io.github.infermetrics.benchmarks;

import com.sun.net.httpserver.HttpServer;
import io.github.infermetrics.core.exposition.ExpositionFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The benchmark inputs: short names for the expositions in the shared data directory, which lives outside the
 * repository and is read at run time, never copied into the project.
 *
 * <p>The directory is the system property {@value #DATA_DIR_PROPERTY} when set, otherwise {@value #DEFAULT_DATA_DIR}
 * resolved from the working directory (the project root, when run as {@code java -jar benchmarks/target/...}).
 * JMH passes the launching JVM's {@code -D} options on to its forks, so
 * {@code java -Dinfermetrics.benchmarks.data=/path/to/shared -jar benchmarks/target/benchmarks.jar} works.
 */
final class Fixtures {

  /** System property naming the shared data directory. */
  static final String DATA_DIR_PROPERTY = "infermetrics.benchmarks.data";

  /** The shared data directory when the property is not set, relative to the working directory. */
  static final String DEFAULT_DATA_DIR = "../shared";

  /** Short name of the OpenMetrics input: the only one that is not Prometheus text 0.0.4. */
  static final String OPENMETRICS_FILE = "alltypes-om";

  private static final String TEXTPARSE = "conformance/prometheus-text/textparse-testdata/";

  /** Short name to path relative to the data directory. Keep in step with the {@code @Param} lists. */
  private static final Map<String, String> PATHS =
      Map.of(
          "alltypes", TEXTPARSE + "alltypes.237mfs.prom.txt",
          "alltypes-nometa", TEXTPARSE + "alltypes.237mfs.nometa.prom.txt",
          OPENMETRICS_FILE, TEXTPARSE + "alltypes.5mfs.om.txt",
          "expfmt", "conformance/prometheus-text/expfmt-testdata/text",
          "triton", "fixtures/triton/triton_metrics_datadog-fixture.txt",
          "vllm", "fixtures/vllm/vllm_metrics_datadog-fixture_hybrid.txt",
          "vllm-v04", "fixtures/vllm/vllm_metrics_v0.4-era_datadog-fixture.txt",
          "neuron", "fixtures/neuron/neuron-monitor-prometheus_inf1.xlarge_datadog-fixture.txt",
          "node-exporter", "fixtures/node_exporter/e2e-output.txt");

  private Fixtures() {}

  /**
   * The format of an input, given to the parsers rather than detected, so that detection is not measured.
   *
   * @param name short name
   * @return OpenMetrics for {@value #OPENMETRICS_FILE}, Prometheus text for the rest
   */
  static ExpositionFormat format(String name) {
    return OPENMETRICS_FILE.equals(name) ? ExpositionFormat.OPENMETRICS : ExpositionFormat.PROMETHEUS_TEXT;
  }

  /**
   * The path of an input.
   *
   * @param name short name
   * @return the absolute, normalised path
   * @throws IllegalArgumentException for an unknown name
   */
  static Path path(String name) {
    String relative = PATHS.get(name);
    if (relative == null) {
      throw new IllegalArgumentException(
          "unknown benchmark file '" + name + "'; known: " + PATHS.keySet().stream().sorted().toList());
    }
    String dir = System.getProperty(DATA_DIR_PROPERTY, DEFAULT_DATA_DIR);
    return Path.of(dir).resolve(relative).toAbsolutePath().normalize();
  }

  /**
   * Reads an input whole.
   *
   * @param name short name
   * @return the bytes
   * @throws IllegalStateException naming the missing path when the file is absent
   */
  static byte[] load(String name) {
    Path path = path(name);
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException(
          "benchmark input '" + name + "' not found: " + path
              + " (the shared data directory is -D" + DATA_DIR_PROPERTY + "=<dir>, default " + DEFAULT_DATA_DIR
              + " resolved from the working directory " + Path.of("").toAbsolutePath()
              + "; run from the project root)");
    }
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read benchmark input " + path, e);
    }
  }

  /** Serves {@code body} as a Prometheus text exposition at every path of {@code server}. */
  static void serveExposition(HttpServer server, byte[] body) {
    server.createContext("/", ex -> {
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
  }

  /** The heap in use after garbage collection: the least of five collections 100 ms apart. */
  static long usedAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
