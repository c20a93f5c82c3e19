package io.github.infermetrics.cli;

import io.github.infermetrics.cli.simulate.DcgmSimulator;
import io.github.infermetrics.cli.simulate.GpuLoad;
import io.github.infermetrics.cli.simulate.LoadDriver;
import io.github.infermetrics.cli.simulate.LoadPattern;
import io.github.infermetrics.cli.simulate.NeuronMonitorSimulator;
import io.github.infermetrics.cli.simulate.SglangSimulator;
import io.github.infermetrics.cli.simulate.TgiSimulator;
import io.github.infermetrics.cli.simulate.TritonSimulator;
import io.github.infermetrics.cli.simulate.VllmNames;
import io.github.infermetrics.cli.simulate.VllmSimulator;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code infermetrics simulate [--vllm PORT] [--triton PORT] [--neuron-stdout] [--pattern P] [--seed N]
 * [--engines N]}: runs the embedded simulators on loopback until interrupted.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
        "Run embedded inference-server simulators on loopback until Ctrl-C: a vLLM V1 server (/metrics and an"
            + " OpenAI-compatible /v1/completions, driven by a built-in load generator), SGLang and TGI servers, a"
            + " Triton metrics endpoint, an NVIDIA dcgm-exporter and a neuron-monitor report stream. Their output has"
            + " the real servers' byte format.",
        "Each endpoint's URL is printed to stderr. Port 0 picks a free port.",
        "Exit 0 when stopped (Ctrl-C or SIGTERM; it stops within a second), 1 when a port cannot be bound, 2 on"
            + " usage errors."},
    footer = {
        "",
        "Examples:",
        "  infermetrics simulate --vllm 8000 --triton 8002",
        "  infermetrics simulate --vllm 0 --engines 2 --pattern ramp:1-20/60s --seed 7",
        "  infermetrics simulate --vllm 8000 --vllm-naming ray-underscore",
        "  infermetrics simulate --triton 8002 --pattern burst:2-30/20s/5s",
        "  infermetrics simulate --vllm 8000 --engines 2 --dcgm 9400",
        "  infermetrics simulate --neuron-stdout --neuron-period 5s > neuron-monitor.ndjson",
        "",
        "Patterns: " + LoadPattern.FORMS + "."})
final class SimulateCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--vllm", paramLabel = "PORT",
      description = "Serve a vLLM simulator on this port (0: a free one) and send it load at the pattern's rate.")
  Integer vllmPort;

  @Option(names = "--sglang", paramLabel = "PORT",
      description = "Serve an SGLang simulator on this port (0: a free one) and send it load at the pattern's rate.")
  Integer sglangPort;

  @Option(names = "--tgi", paramLabel = "PORT", description = "Serve a text-generation-inference (TGI) simulator on"
      + " this port (0: a free one) and send it load at the pattern's rate.")
  Integer tgiPort;

  @Option(names = "--triton", paramLabel = "PORT",
      description = "Serve a Triton metrics simulator on this port (0: a free one); Triton's usual port is 8002.")
  Integer tritonPort;

  @Option(names = "--dcgm", paramLabel = "PORT",
      description = "Serve an NVIDIA dcgm-exporter simulator on this port (0: a free one; the real one's is 9400):"
          + " one GPU per vLLM engine, held by pod " + DcgmSimulator.DEMO_NAMESPACE + "/" + DcgmSimulator.DEMO_POD
          + " and following the vLLM load (without --vllm, two GPUs following the pattern), plus an idle GPU.")
  Integer dcgmPort;

  @Option(names = "--neuron-stdout", description = "Print neuron-monitor JSON reports to stdout, one per period.")
  boolean neuronStdout;

  @Option(names = "--neuron-period", paramLabel = "DURATION", defaultValue = "1s",
      converter = DurationConverter.class, description = "Time between neuron-monitor reports. Default: 1s.")
  Duration neuronPeriod;

  @Option(names = "--pattern", paramLabel = "P", defaultValue = "steady:5",
      description = "Requests per second over time: steady:RATE, ramp:FROM-TO/DURATION or"
          + " burst:BASE-PEAK/PERIOD/LENGTH. Default: steady:5.")
  String pattern;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of all simulated randomness."
      + " Default: 1.")
  long seed;

  @Option(names = "--engines", paramLabel = "N", defaultValue = "1",
      description = "Data-parallel engines of the vLLM simulator (label engine=\"0\", \"1\", ...). Default: 1.")
  int engines;

  @Option(names = "--model", paramLabel = "NAME", defaultValue = "meta-llama/Llama-3.1-8B-Instruct",
      description = "The vLLM simulator's served model name. Default: ${DEFAULT-VALUE}.")
  String model;

  @Option(names = "--vllm-naming", paramLabel = "NAMING", defaultValue = "vllm",
      description = "How the vLLM simulator spells its metrics: vllm (vllm:*), ray (Ray Serve LLM up to Ray 2.50,"
          + " ray_vllm:*), ray-underscore (Ray 2.51 and later, ray_vllm_*), nim (NIM, no prefix)."
          + " Default: ${DEFAULT-VALUE}.")
  String vllmNaming;

  private final List<AutoCloseable> running = new ArrayList<>();

  @Override
  public Integer call() {
    CommandLine cl = spec.commandLine();
    if (vllmPort == null && sglangPort == null && tgiPort == null && tritonPort == null && dcgmPort == null
        && !neuronStdout) {
      throw new CommandLine.ParameterException(cl, "nothing to simulate: give --vllm PORT, --sglang PORT, --tgi PORT,"
          + " --triton PORT, --dcgm PORT and/or --neuron-stdout");
    }
    LoadPattern load;
    VllmSimulator.Config vllmConfig = null;
    TritonSimulator.Config tritonConfig = null;
    SglangSimulator.Config sglangConfig = null;
    TgiSimulator.Config tgiConfig = null;
    try {
      load = LoadPattern.parse(pattern);
      if (vllmPort != null) {
        vllmConfig = VllmSimulator.Config.builder().port(vllmPort).engines(engines).modelName(model).seed(seed)
            .names(VllmNames.parse(vllmNaming)).build();
      }
      if (sglangPort != null) {
        sglangConfig = SglangSimulator.Config.builder().port(sglangPort).seed(seed).build();
      }
      if (tgiPort != null) {
        tgiConfig = TgiSimulator.Config.builder().port(tgiPort).seed(seed).build();
      }
      if (tritonPort != null) {
        tritonConfig = TritonSimulator.Config.builder().port(tritonPort).pattern(load).seed(seed).gpus(2)
            .firstResponseHistogram(true).build();
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    }
    PrintWriter out = cl.getOut();
    PrintWriter err = cl.getErr();
    boolean interrupted = false;
    // Ctrl-C and SIGTERM stop the simulators and exit 0, as the help says, rather than with 130 or 143
    SignalExit onSignal = SignalExit.install("infermetrics-simulate-stop", () -> {
      closeAll();
      err.flush();
      return 0;
    });
    try {
      GpuLoad gpuLoad = null;
      if (vllmConfig != null) {
        VllmSimulator.Config c = vllmConfig;
        VllmSimulator vllm = start("vllm", vllmPort, () -> VllmSimulator.start(c));
        // no grace on close: stopping the command cuts requests in flight, so it ends within a second
        LoadDriver driver = LoadDriver.start(LoadDriver.Config.builder(vllm.completionsUri()).pattern(load).seed(seed)
            .closeGrace(Duration.ZERO).build());
        keepBefore(vllm, driver);
        gpuLoad = vllm.gpuLoad();
        err.println("vllm:   " + vllm.metricsUri() + "  (completions: " + vllm.completionsUri() + ", load " + load
            + ")");
      }
      if (sglangConfig != null) {
        SglangSimulator.Config c = sglangConfig;
        SglangSimulator sglang = start("sglang", sglangPort, () -> SglangSimulator.start(c));
        keep(LoadDriver.start(sglang.completionsUri(), load, seed));
        err.println("sglang: " + sglang.metricsUri() + "  (completions: " + sglang.completionsUri() + ", load " + load
            + ")");
      }
      if (tgiConfig != null) {
        TgiSimulator.Config c = tgiConfig;
        TgiSimulator tgi = start("tgi", tgiPort, () -> TgiSimulator.start(c));
        keep(LoadDriver.start(tgi.completionsUri(), load, seed));
        err.println("tgi:    " + tgi.metricsUri() + "  (completions: " + tgi.completionsUri() + ", load " + load
            + ")");
      }
      if (dcgmPort != null) {
        DcgmSimulator.Config c = DcgmSimulator.Config.builder().port(dcgmPort).seed(seed)
            .load(gpuLoad != null ? gpuLoad : GpuLoad.following(load, 2, 10))
            .pod(DcgmSimulator.DEMO_NAMESPACE, DcgmSimulator.DEMO_POD, DcgmSimulator.DEMO_CONTAINER).build();
        DcgmSimulator dcgm = start("dcgm", dcgmPort, () -> DcgmSimulator.start(c));
        err.println("dcgm:   " + dcgm.metricsUri() + "  (GPUs of pod " + DcgmSimulator.DEMO_NAMESPACE + "/"
            + DcgmSimulator.DEMO_POD + (gpuLoad != null ? " follow the vLLM load" : " follow " + load) + ")");
      }
      if (tritonConfig != null) {
        TritonSimulator.Config c = tritonConfig;
        TritonSimulator triton = start("triton", tritonPort, () -> TritonSimulator.start(c));
        err.println("triton: " + triton.metricsUri() + "  (load " + load + ")");
      }
      if (neuronStdout) {
        NeuronMonitorSimulator neuron = NeuronMonitorSimulator.create(NeuronMonitorSimulator.Config.builder()
            .pattern(load).seed(seed).period(neuronPeriod).build());
        keep(neuron);
        err.println("neuron: reports on stdout every " + neuronPeriod.toMillis() + " ms  (load " + load + ")");
        neuron.start(line -> {
          synchronized (out) {
            out.println(line);
            out.flush();
          }
        }, neuronPeriod);
      }
      err.println("running; Ctrl-C stops");
      err.flush();
      new CountDownLatch(1).await();
      return 0;
    } catch (InterruptedException e) {
      interrupted = true;
      return 0;
    } catch (StartFailure e) {
      err.println(e.getMessage());
      return 1;
    } finally {
      closeAll();
      if (interrupted) {
        // restored only now, so that closing could still wait for requests in flight
        Thread.currentThread().interrupt();
      }
      onSignal.close();
      err.flush();
    }
  }

  private interface Starter<T extends AutoCloseable> {
    T start() throws IOException;
  }

  /** A simulator that could not start; the message is the one line to print. */
  private static final class StartFailure extends Exception {
    private static final long serialVersionUID = 1L;

    StartFailure(String message) {
      super(message);
    }
  }

  private <T extends AutoCloseable> T start(String what, int port, Starter<T> starter) throws StartFailure {
    try {
      return keep(starter.start());
    } catch (BindException e) {
      throw new StartFailure(what + ": cannot listen on 127.0.0.1:" + port + ": port in use (" + e.getMessage()
          + ")");
    } catch (IOException e) {
      throw new StartFailure(what + ": cannot start on 127.0.0.1:" + port + ": " + e.getMessage());
    }
  }

  private synchronized <T extends AutoCloseable> T keep(T c) {
    running.add(c);
    return c;
  }

  /**
   * Keeps a load driver so that it closes after the server it talks to: closing the server cuts the driver's
   * streams at once, where the driver alone waits for each stream's next token to disconnect it.
   */
  private synchronized void keepBefore(AutoCloseable server, AutoCloseable driver) {
    running.add(running.indexOf(server), driver);
  }

  /** Closes in reverse order of start, load drivers after their servers (see {@link #keepBefore}). */
  private synchronized void closeAll() {
    for (int i = running.size() - 1; i >= 0; i--) {
      try {
        running.get(i).close();
      } catch (Exception ignored) {
        // closing the others matters more
      }
    }
    running.clear();
  }
}
