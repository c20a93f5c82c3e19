package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.testing.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code parse --json} against the real prom2json: builds {@code src/test/go/prom2jsonref} (a small driver of the
 * prom2json library, Debian package golang-github-prometheus-prom2json-dev) with the installed Go toolchain and
 * compares the outputs byte for byte on every Prometheus text file in {@code ../shared}. Skips when Go or the
 * library is missing ({@code .ci/run} installs them when it can).
 */
class Prom2JsonCompatibilityTest {
  private static final Path LIBRARY = Paths.get("/usr/share/gocode/src/github.com/prometheus/prom2json");
  private static Path reference;

  @BeforeAll
  static void buildReference() throws Exception {
    Assumptions.assumeTrue(Files.isDirectory(LIBRARY),
        "prom2json's Go library is not installed (apt-get install golang-github-prometheus-prom2json-dev);"
            + " skipping the byte-for-byte comparison");
    Path target = Paths.get("target", "prom2jsonref").toAbsolutePath();
    Path src = target.resolve("gopath/src/prom2jsonref");
    Files.createDirectories(src);
    Files.copy(Paths.get("src/test/go/prom2jsonref/main.go"), src.resolve("main.go"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Path binary = target.resolve("prom2jsonref");
    ProcessBuilder pb = new ProcessBuilder("go", "build", "-o", binary.toString(), "prom2jsonref")
        .redirectErrorStream(true);
    pb.environment().put("GOPATH", target.resolve("gopath") + ":/usr/share/gocode");
    pb.environment().put("GO111MODULE", "off");
    pb.environment().put("GOCACHE", target.resolve("gocache").toString());
    pb.environment().put("GOFLAGS", "");
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      Assumptions.abort("no Go toolchain (apt-get install golang-go): " + e.getMessage());
      return;
    }
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("go build finished").isTrue();
    assertThat(p.exitValue()).as("go build: %s", log).isZero();
    reference = binary;
  }

  static Stream<String> files() {
    return Stream.of("fixtures/triton/triton_metrics_datadog-fixture.txt",
        "fixtures/vllm/vllm_metrics_datadog-fixture_hybrid.txt",
        "fixtures/vllm/vllm_metrics_v0.4-era_datadog-fixture.txt",
        "fixtures/neuron/neuron-monitor-prometheus_inf1.xlarge_datadog-fixture.txt",
        "conformance/prometheus-text/textparse-testdata/alltypes.237mfs.prom.txt",
        "conformance/prometheus-text/textparse-testdata/alltypes.237mfs.nometa.prom.txt",
        "conformance/prometheus-text/expfmt-testdata/text",
        "conformance/prometheus-text/expfmt-fuzz-corpus/from_test_parse_0",
        "conformance/prometheus-text/expfmt-fuzz-corpus/from_test_parse_1",
        "conformance/prometheus-text/expfmt-fuzz-corpus/from_test_parse_2",
        "conformance/prometheus-text/expfmt-fuzz-corpus/from_test_parse_3",
        "conformance/prometheus-text/expfmt-fuzz-corpus/from_test_parse_4",
        "conformance/prometheus-text/expfmt-fuzz-corpus/minimal");
  }

  @ParameterizedTest
  @MethodSource("files")
  void jsonIsByteForByteWhatProm2jsonPrints(String file) throws Exception {
    Path path = SharedData.dir(file);
    byte[] bytes = Files.readAllBytes(path);
    // three fixtures lack the final line feed, which prom2json's strict parser requires and ours does not
    if (bytes.length > 0 && bytes[bytes.length - 1] != '\n') {
      bytes = java.util.Arrays.copyOf(bytes, bytes.length + 1);
      bytes[bytes.length - 1] = '\n';
    }
    Process p = new ProcessBuilder(reference.toString()).start();
    p.getOutputStream().write(bytes);
    p.getOutputStream().close();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    p.getInputStream().transferTo(expected);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();

    StringWriter out = new StringWriter();
    int code = Main.run(new String[] {"parse", "--json", "--format", "text", path.toString()}, new PrintWriter(out),
        new PrintWriter(new StringWriter()));
    assertThat(code).isZero();
    assertThat(out.toString()).isEqualTo(expected.toString(StandardCharsets.UTF_8));
  }
}
