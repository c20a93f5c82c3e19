package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code infermetrics simulate}: runs until its thread is interrupted, then closes everything and exits 0. */
class SimulateCommandTest {

  @Test
  void runsTheSimulatorsUntilInterrupted() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicInteger code = new AtomicInteger(-1);
    Thread run = new Thread(() -> code.set(Main.run(new String[] {"simulate", "--vllm", "0", "--triton", "0",
        "--neuron-stdout", "--neuron-period", "100ms", "--pattern", "steady:20", "--seed", "3", "--engines", "2"},
        new PrintWriter(out), new PrintWriter(err))));
    run.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!err.toString().contains("running; Ctrl-C stops") && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(err.toString()).contains("running; Ctrl-C stops");
    Thread.sleep(400);

    String vllm = url(err.toString(), "vllm:");
    String triton = url(err.toString(), "triton:");
    assertThat(get(vllm)).contains("vllm:num_requests_running{engine=\"1\"");
    assertThat(get(triton)).contains("nv_inference_request_success{model=\"resnet50\",version=\"1\"}");
    assertThat(out.toString()).startsWith("{\"neuron_runtime_data\":[{");

    run.interrupt();
    run.join(10_000);
    assertThat(run.isAlive()).isFalse();
    assertThat(code.get()).isZero();
    // everything is closed: the ports no longer answer
    assertThat(reachable(vllm)).isFalse();
    assertThat(reachable(triton)).isFalse();
  }

  @Test
  void nothingToSimulateIsAUsageError() {
    CliRun r = CliRun.of("simulate");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("nothing to simulate: give --vllm PORT, --sglang PORT, --tgi PORT, --triton PORT,"
        + " --dcgm PORT and/or --neuron-stdout");
  }

  @Test
  void aBadPatternIsAUsageError() {
    CliRun r = CliRun.of("simulate", "--triton", "0", "--pattern", "ramp:5");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("invalid load pattern 'ramp:5'");
  }

  @Test
  void aPortInUseIsOneClearLine() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CliRun r = CliRun.of("simulate", "--triton", String.valueOf(taken.getLocalPort()));
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err().strip()).startsWith("triton: cannot listen on 127.0.0.1:" + taken.getLocalPort()
          + ": port in use").doesNotContain("\n");
    }
  }

  @Test
  void helpHasExamples() {
    CliRun r = CliRun.of("simulate", "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("infermetrics simulate --vllm 8000 --triton 8002")
        .contains("--neuron-stdout").contains("burst:BASE-PEAK/PERIOD/LENGTH");
  }

  private static String url(String err, String prefix) {
    Matcher m = Pattern.compile(Pattern.quote(prefix) + "\\s+(http://\\S+/metrics)").matcher(err);
    assertThat(m.find()).as("%s URL in %s", prefix, err).isTrue();
    return m.group(1);
  }

  private static String get(String url) throws IOException {
    try (InputStream in = URI.create(url).toURL().openStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static boolean reachable(String url) {
    try {
      get(url);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void aZeroDurationIsSaidInWords() {
    CliRun r = CliRun.of("simulate", "--vllm", "0", "--pattern", "ramp:20-1/0s");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("invalid load pattern 'ramp:20-1/0s': a duration must be more than zero, got"
        + " '0s'; expected steady:RATE").doesNotContain("PT0S").endsWith("try 'infermetrics simulate --help'\n");
  }
}
