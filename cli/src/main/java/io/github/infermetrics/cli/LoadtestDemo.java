package io.github.infermetrics.cli;

import io.github.infermetrics.cli.simulate.Distribution;
import io.github.infermetrics.cli.simulate.LoadPattern;
import io.github.infermetrics.cli.simulate.NeuronMonitorSimulator;
import io.github.infermetrics.cli.simulate.VllmSimulator;
import io.github.infermetrics.neuron.NeuronPrometheusExporter;
import io.github.infermetrics.neuron.NeuronReportReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What {@code loadtest --demo} tests: a vLLM simulator on loopback (one engine that runs 8 requests at once, TTFT
 * about 80 ms, 20 ms a token), and a trn1.2xlarge's neuron-monitor simulator behind the neuron-monitor-prometheus
 * exporter, watched as the accelerator. The simulated accelerator does not see the test's requests: its load ramps
 * over the sweep's time, so the demo's utilisation chart rises with the steps without being caused by them.
 */
final class LoadtestDemo implements AutoCloseable {
  /** The model the demo server serves. */
  static final String MODEL = "Qwen/Qwen3-8B";

  private final Deque<AutoCloseable> open = new ArrayDeque<>();
  private final URI server;
  private final URI neuron;

  private LoadtestDemo(long seed, double firstRate, double lastRate, Duration sweep) throws IOException {
    try {
      VllmSimulator vllm = keep(VllmSimulator.start(VllmSimulator.Config.builder().modelName(MODEL).engines(1)
          .maxRunningPerEngine(8).seed(seed).build()));
      server = vllm.completionsUri().resolve("/");
      NeuronPrometheusExporter exporter = new NeuronPrometheusExporter();
      NeuronPrometheusExporter.Endpoint endpoint = keep(exporter.serve(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
      // 0.2 s of device time a request on 2 NeuronCores: utilisation is a tenth of the rate
      NeuronMonitorSimulator monitor = keep(NeuronMonitorSimulator.create(NeuronMonitorSimulator.Config.builder()
          .pattern(LoadPattern.ramp(firstRate, lastRate, sweep)).deviceLatency(Distribution.logNormal(0.2, 0.1))
          .seed(seed).period(Duration.ofSeconds(1)).build()));
      exporter.update(NeuronReportReader.parse(monitor.nextReport()));
      monitor.start(line -> exporter.update(NeuronReportReader.parse(line)), Duration.ofSeconds(1));
      neuron = URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics");
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Starts the simulators.
   *
   * @param seed the seed
   * @param firstRate the sweep's first load, for the accelerator's ramp
   * @param lastRate its last
   * @param sweep how long the sweep takes
   * @return the running demo
   * @throws IOException when a port cannot be bound
   */
  static LoadtestDemo start(long seed, double firstRate, double lastRate, Duration sweep) throws IOException {
    return new LoadtestDemo(seed, firstRate, lastRate, sweep);
  }

  /** The server's root URL. */
  URI server() {
    return server;
  }

  /** The watch target of the simulated accelerator. */
  String neuronTarget() {
    return "neuron=trn1@" + neuron;
  }

  private <T extends AutoCloseable> T keep(T c) {
    open.push(c);
    return c;
  }

  @Override
  public void close() {
    while (!open.isEmpty()) {
      try {
        open.pop().close();
      } catch (Exception e) {
        // closing a simulator: nothing left to do about it
      }
    }
  }
}
