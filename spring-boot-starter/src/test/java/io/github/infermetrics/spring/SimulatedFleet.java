package io.github.infermetrics.spring;

import io.github.infermetrics.cli.simulate.Distribution;
import io.github.infermetrics.cli.simulate.LoadDriver;
import io.github.infermetrics.cli.simulate.LoadPattern;
import io.github.infermetrics.cli.simulate.TritonSimulator;
import io.github.infermetrics.cli.simulate.VllmSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;

/**
 * A vLLM simulator under a steady load through its completions endpoint and a Triton simulator, on free loopback
 * ports; and the URL of a port nothing listens on, a target that is down.
 */
final class SimulatedFleet implements AutoCloseable {
  static final String VLLM_MODEL = "sim/qwen";

  private final VllmSimulator vllm;
  private final LoadDriver load;
  private final TritonSimulator triton;
  private final URI dead;

  private SimulatedFleet() throws IOException {
    // short first tokens and few output tokens: requests end well within a 200 ms window, so latencies have values
    vllm = VllmSimulator.start(VllmSimulator.Config.builder().modelName(VLLM_MODEL).seed(11)
        .timeToFirstToken(Distribution.logNormal(0.02, 0.2)).interTokenLatency(Distribution.fixed(0.002))
        .outputTokens(Distribution.uniform(4, 8)).build());
    try {
      load = LoadDriver.start(LoadDriver.Config.builder(vllm.completionsUri()).pattern(LoadPattern.steady(20))
          .seed(3).maxTokens(6).build());
      triton = TritonSimulator.start(TritonSimulator.Config.builder().pattern(LoadPattern.steady(20)).seed(5)
          .build());
    } catch (IOException | RuntimeException e) {
      vllm.close();
      throw e;
    }
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      // bound and closed at once: connections to it are refused (should another process take the port meanwhile,
      // a target that names its source, vllm, is still down: what it serves is not vLLM's)
      dead = URI.create("http://127.0.0.1:" + s.getLocalPort() + "/metrics");
    }
  }

  static SimulatedFleet start() {
    try {
      return new SimulatedFleet();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  URI vllm() {
    return vllm.metricsUri();
  }

  URI triton() {
    return triton.metricsUri();
  }

  URI dead() {
    return dead;
  }

  @Override
  public void close() {
    load.close();
    vllm.close();
    triton.close();
  }
}
