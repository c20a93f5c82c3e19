package io.github.infermetrics.cli;

import io.github.infermetrics.cli.simulate.DcgmSimulator;
import io.github.infermetrics.cli.simulate.LoadDriver;
import io.github.infermetrics.cli.simulate.LoadPattern;
import io.github.infermetrics.cli.simulate.NeuronMonitorSimulator;
import io.github.infermetrics.cli.simulate.SglangSimulator;
import io.github.infermetrics.cli.simulate.TgiSimulator;
import io.github.infermetrics.cli.simulate.TritonSimulator;
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
import java.util.List;
import java.util.Optional;

/**
 * What {@code watch --demo} watches: a vLLM simulator with two engines, an SGLang simulator with two data-parallel
 * ranks and a TGI simulator, each driven through its completions endpoint, a Triton simulator, and a neuron-monitor
 * simulator whose reports go through the neuron-monitor-prometheus exporter, and a dcgm-exporter whose GPUs, held by
 * the vLLM pod, follow the vLLM engines' load, all on free loopback ports. Closing it
 * stops the load first, then the servers.
 */
final class DemoFleet implements AutoCloseable {
  /** Bursts over a base load, so the demo shows queueing and the KPIs move. */
  static final String PATTERN = "burst:4-16/30s/10s";

  private final Deque<AutoCloseable> open = new ArrayDeque<>();
  private final List<WatchTarget> targets;

  private DemoFleet(long seed) throws IOException {
    LoadPattern load = LoadPattern.parse(PATTERN);
    try {
      // the simulators first: they switch on TCP_NODELAY for the JDK HTTP server, which it reads only once
      VllmSimulator vllm = keep(VllmSimulator.start(VllmSimulator.Config.builder().modelName("Qwen/Qwen3-8B")
          .engines(2).seed(seed).build()));
      keep(LoadDriver.start(vllm.completionsUri(), load, seed));
      // the GPUs of the vLLM engines, as a dcgm-exporter on their node reports them, held by the vLLM pod
      DcgmSimulator dcgm = keep(DcgmSimulator.start(DcgmSimulator.Config.builder().load(vllm.gpuLoad()).seed(seed)
          .pod(DcgmSimulator.DEMO_NAMESPACE, DcgmSimulator.DEMO_POD, DcgmSimulator.DEMO_CONTAINER).build()));
      SglangSimulator sglang = keep(SglangSimulator.start(SglangSimulator.Config.builder()
          .modelName("Qwen/Qwen2.5-7B-Instruct").dpRanks(2).seed(seed).build()));
      keep(LoadDriver.start(sglang.completionsUri(), load, seed));
      TgiSimulator tgi = keep(TgiSimulator.start(TgiSimulator.Config.builder().seed(seed).build()));
      keep(LoadDriver.start(tgi.completionsUri(), load, seed));
      TritonSimulator triton = keep(TritonSimulator.start(TritonSimulator.Config.builder().pattern(load).seed(seed)
          .gpus(2).firstResponseHistogram(true).build()));
      NeuronPrometheusExporter exporter = new NeuronPrometheusExporter();
      NeuronPrometheusExporter.Endpoint endpoint = keep(exporter.serve(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
      NeuronMonitorSimulator neuron = keep(NeuronMonitorSimulator.create(NeuronMonitorSimulator.Config.builder()
          .pattern(load).seed(seed).period(Duration.ofSeconds(1)).build()));
      exporter.update(NeuronReportReader.parse(neuron.nextReport()));
      neuron.start(line -> exporter.update(NeuronReportReader.parse(line)), Duration.ofSeconds(1));
      URI neuronUri = URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics");
      targets = List.of(
          new WatchTarget("vllm-demo", List.of("vllm"), vllm.metricsUri(),
              Optional.of(DcgmSimulator.DEMO_NAMESPACE + "/" + DcgmSimulator.DEMO_POD)),
          new WatchTarget("sglang-demo", List.of("sglang"), sglang.metricsUri(), Optional.empty()),
          new WatchTarget("tgi-demo", List.of("tgi"), tgi.metricsUri(), Optional.empty()),
          new WatchTarget("triton-demo", List.of("triton"), triton.metricsUri(), Optional.empty()),
          new WatchTarget("neuron-demo", List.of("neuron"), neuronUri, Optional.empty()),
          new WatchTarget("gpu-demo", List.of("dcgm"), dcgm.metricsUri(), Optional.empty()));
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  static DemoFleet start(long seed) throws IOException {
    return new DemoFleet(seed);
  }

  List<WatchTarget> targets() {
    return targets;
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
