package io.github.infermetrics.cli;

import io.github.infermetrics.core.discovery.FileSdConfig;
import io.github.infermetrics.core.discovery.FileSdDiscovery;
import io.github.infermetrics.core.discovery.HttpSdConfig;
import io.github.infermetrics.core.discovery.HttpSdDiscovery;
import io.github.infermetrics.core.discovery.TargetDiscovery;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiSources;
import io.github.infermetrics.core.kpi.Slo;
import io.github.infermetrics.core.pipeline.AcceleratorJoin;
import io.github.infermetrics.core.pipeline.KpiConsumer;
import io.github.infermetrics.core.pipeline.KpiPipeline;
import io.github.infermetrics.core.pipeline.SourceWindow;
import io.github.infermetrics.dcgm.ContainerInsightsMapping;
import io.github.infermetrics.dcgm.DcgmKpis;
import io.github.infermetrics.core.pipeline.PipelineTarget;
import io.github.infermetrics.core.pipeline.Shard;
import io.github.infermetrics.core.pipeline.TargetStatus;
import io.github.infermetrics.core.pipeline.TargetWindow;
import io.github.infermetrics.kubernetes.KubernetesEndpointSliceDiscovery;
import io.github.infermetrics.kubernetes.KubernetesEndpointSlicesConfig;
import io.github.infermetrics.kubernetes.KubernetesPodDiscovery;
import io.github.infermetrics.kubernetes.KubernetesPodsConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code infermetrics watch [--interval D] [--emf SINK] [--namespace NS] [--dimension K=V]... [--remote-write URL]
 * [--slo LIST] [--serve HOST:PORT] [--once] [--json] [--demo] TARGET...}: live serving KPIs of a fleet of Triton,
 * vLLM and neuron-monitor-prometheus endpoints, as a table (redrawn in place on a terminal), JSON lines, EMF for
 * CloudWatch, Prometheus remote write, and over HTTP ({@link ServeEndpoint}: Prometheus, autoscalers, a live page).
 */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = {
        "Scrape inference servers (vLLM, SGLang, TGI, Triton, Ray Serve, neuron-monitor-prometheus, dcgm-exporter:"
            + " see infermetrics sources) every interval and show their serving KPIs live: one row per target and"
            + " model (requests/s, errors, TTFT p95, E2E p95, queue time, waiting requests, tokens/s, KV cache,"
            + " accelerator utilisation). Down targets show why; the others go on.",
        "TARGET is [SOURCE=][NAME@]URL[,pod=NAMESPACE/POD]: SOURCE is an installed source (infermetrics sources;"
            + " every source present is detected from each scrape when left out), NAME labels the row and the"
            + " target dimension (default: host:port), the pod joins the GPUs a dcgm-exporter target reports for it.",
        "TARGET and --remote-write URLs without a scheme are http.",
        "--serve answers on HTTP while it watches: /metrics (the KPIs for Prometheus, text or OpenMetrics),"
            + " /api/kpis (the --json object), /api/kpis/TARGET/MODEL (one row as flat JSON, for KEDA's metrics-api"
            + " scaler), and / (a live page with the table and charts of the last windows). A bare PORT listens on"
            + " loopback only (127.0.0.1); to be reached from other machines give the address, 0.0.0.0:PORT.",
        "Exit 0 on success (Ctrl-C flushes and exits 0); 1 in --once mode when a target is down or gave no KPIs, a"
            + " discovery failed, or EMF events or remote-write samples were lost; 2 on usage errors and an --emf FILE, token FILE or --serve-* FILE that"
            + " cannot be opened or used, or no AWS credentials for --remote-write-sigv4."},
    footer = {"", "Examples:",
        "  infermetrics watch --demo",
        "  infermetrics watch http://triton-0:8002/metrics vllm=qwen@http://10.0.0.7:8000/metrics",
        "  infermetrics watch --interval 15s --emf tcp://127.0.0.1:25888 --namespace Inference \\",
        "      --dimension cluster=prod http://vllm-0:8000/metrics",
        "  infermetrics watch --once --json http://localhost:8002/metrics",
        "  infermetrics watch --gpu-hour-price 1.21 vllm=qwen@http://10.0.0.7:8000/metrics,pod=serving/qwen-0 http://10.0.0.7:9400/metrics",
        "  infermetrics watch --file-sd /etc/prometheus/targets/*.json",
        "  infermetrics watch --shard 0/4 --shard-by node --gpu-hour-price 1.21 --file-sd /etc/infermetrics/fleet.json",
        "  infermetrics watch --kubernetes-pods 'namespace=serving,selector=app=vllm,port=metrics'",
        "  infermetrics watch --demo --slo ttft=500ms,e2e=20s --serve 9100",
        "  infermetrics watch --serve 0.0.0.0:9100 --slo ttft=500ms vllm-0@http://10.0.0.7:8000/metrics",
        "  infermetrics watch --serve 0.0.0.0:9443 --serve-tls-keystore serve.p12 --serve-tls-password-file pass.txt \\",
        "      --serve-basic-auth-file users.txt http://vllm-0:8000/metrics",
        "  infermetrics watch --remote-write http://prometheus:9090/api/v1/write --dimension cluster=prod \\",
        "      http://vllm-0:8000/metrics",
        "  infermetrics watch --remote-write-sigv4 eu-west-1 --remote-write \\",
        "      https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1234/api/v1/remote_write \\",
        "      http://vllm-0:8000/metrics"})
final class WatchCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--interval", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Time between scrapes, and the KPI window (default: 10s; 5s with --demo).")
  Duration interval;

  @Option(names = "--once", description = "Scrape twice, one interval apart, print the KPIs and exit.")
  boolean once;

  @Option(names = "--json", description = "Print one JSON object per interval instead of the table.")
  boolean json;

  @Option(names = "--emf", paramLabel = "SINK",
      description = "Write each window's KPIs as CloudWatch EMF: stdout, a FILE (appended), tcp://HOST:PORT or"
          + " udp://HOST:PORT (the CloudWatch agent, port 25888).")
  String emf;

  @Option(names = "--namespace", paramLabel = "NS", defaultValue = "infermetrics",
      description = "The CloudWatch namespace of the EMF metrics (default: infermetrics).")
  String namespace;

  @Option(names = "--dimension", paramLabel = "K=V",
      description = "An extra dimension on every EMF metric and label on every remote-write series (repeatable),"
          + " for example cluster=prod.")
  Map<String, String> dimensions;

  @Option(names = "--remote-write", paramLabel = "URL",
      description = "Send each window's KPIs with Prometheus remote write 1.0 to URL, for example"
          + " http://prometheus:9090/api/v1/write (Prometheus with --web.enable-remote-write-receiver), Mimir,"
          + " VictoriaMetrics.")
  String remoteWrite;

  @Option(names = "--remote-write-header", paramLabel = "NAME=VALUE",
      description = "An extra header on every remote-write request (repeatable), for example X-Scope-OrgID=team-a.")
  Map<String, String> remoteWriteHeaders;

  @Option(names = "--remote-write-bearer-token-file", paramLabel = "FILE",
      description = "Send Authorization: Bearer with the token in FILE.")
  java.nio.file.Path remoteWriteTokenFile;

  @Option(names = "--remote-write-sigv4", paramLabel = "REGION",
      description = "Sign remote-write requests with AWS SigV4 for REGION, service aps (Amazon Managed Service for"
          + " Prometheus), with the AWS default credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY,"
          + " ~/.aws/credentials with AWS_PROFILE, an instance or task role).")
  String remoteWriteSigV4Region;

  @Option(names = "--slo", paramLabel = "LIST",
      description = "Service-level objectives whose goodput each window gets, as slo_goodput_ratio{slo=...}: the share"
          + " of the window's requests at or under the threshold, from the servers' histograms. LIST is NAME=DURATION"
          + " separated by commas, NAME one of ttft, itl (or tpot), e2e (or e2el), queue; for example"
          + " ttft=500ms,e2e=20s (a bare number is milliseconds, as in vllm bench serve --goodput).")
  String slo;

  @Option(names = "--serve", paramLabel = "HOST:PORT",
      description = "Serve the KPIs over HTTP while watching: /metrics, /api/kpis, /api/kpis/TARGET/MODEL,"
          + " /api/history and a live page on /. PORT alone listens on loopback only (127.0.0.1); another address must"
          + " be given, for example 0.0.0.0:9100 for every interface. Port 0 picks a free port (printed on standard"
          + " error).")
  String serve;

  @Option(names = "--serve-tls-keystore", paramLabel = "FILE",
      description = "Serve over HTTPS with the private key and certificate chain in FILE, a PKCS#12 (or JKS) key store,"
          + " for example from: keytool -genkeypair -keyalg EC -alias serve -keystore serve.p12 -storetype PKCS12"
          + " -dname CN=watch.internal.")
  java.nio.file.Path serveTlsKeystore;

  @Option(names = "--serve-tls-password-file", paramLabel = "FILE",
      description = "The password of the --serve-tls-keystore key store, on FILE's first line.")
  java.nio.file.Path serveTlsPasswordFile;

  @Option(names = "--serve-basic-auth-file", paramLabel = "FILE",
      description = "Answer only requests with HTTP basic authentication as one of FILE's users, a line USER:PASSWORD"
          + " each (401 otherwise); Prometheus scrapes with basic_auth, a browser asks once. Send it over"
          + " --serve-tls-keystore unless on loopback.")
  java.nio.file.Path serveBasicAuthFile;

  @Option(names = "--history", paramLabel = "N", defaultValue = "120",
      description = "Windows per target that --serve keeps for the live page's charts (default: 120).")
  int historySize;

  @Option(names = "--demo", description = "Watch embedded simulators instead of (or besides) TARGETs: vLLM with two"
      + " engines under load through its completions endpoint and a dcgm-exporter of its pod's GPUs, SGLang and"
      + " TGI under load, Triton, and neuron-monitor through the neuron-monitor-prometheus exporter, on loopback. EMF goes to a temporary file named on exit unless --emf"
      + " is given.")
  boolean demo;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "The demo's random seed (default:"
      + " 42).")
  long seed;

  @Option(names = "--verbose", description = "Print stack traces with errors.")
  boolean verbose;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Time allowed for one scrape (default: the interval, from 1s to 10s).")
  Duration timeout;

  @Option(names = "--file-sd", paramLabel = "FILE",
      description = "Targets from Prometheus file_sd files (JSON or YAML; a * in the last path element matches"
          + " several), re-read when they change (repeatable). Labels infermetrics_name, infermetrics_source and"
          + " infermetrics_pod name a target, its source and its pod.")
  List<String> fileSd = new ArrayList<>();

  @Option(names = "--http-sd", paramLabel = "URL",
      description = "Targets from a Prometheus http_sd endpoint, polled (repeatable).")
  List<String> httpSd = new ArrayList<>();

  @Option(names = "--kubernetes-pods", paramLabel = "SPEC",
      description = "Targets from the Kubernetes API: Running pods, watched, for example"
          + " 'namespace=serving,selector=app in (vllm,sglang),port=metrics' (options: namespace, selector, port,"
          + " path, scheme, source, name=pod|address, job, resync). In-cluster config or kubeconfig.")
  List<String> kubernetesPods = new ArrayList<>();

  @Option(names = "--kubernetes-endpointslices", paramLabel = "SPEC",
      description = "Targets from a service's ready EndpointSlice endpoints, for example"
          + " 'namespace=serving,service=vllm,port=http'.")
  List<String> kubernetesEndpointSlices = new ArrayList<>();

  @Option(names = "--gpu-hour-price", paramLabel = "DOLLARS",
      description = "The price of one GPU-hour: model servers whose pod's GPUs a dcgm-exporter target reports"
          + " (TARGET,pod=NAMESPACE/POD) get the cost of a million generated tokens.")
  Double gpuHourPrice;

  @Option(names = "--cluster-name", paramLabel = "NAME",
      description = "With --emf: also write the Container Insights GPU metrics of dcgm-exporter targets"
          + " (node_gpu_utilization, pod_gpu_memory_used, ...; namespace ContainerInsights) for this EKS cluster.")
  String clusterName;

  @Option(names = "--shard", paramLabel = "I/N",
      description = "Scrape only shard I of N (from 0): the targets, listed or discovered, whose URL hashes to I"
          + " (MD5, as Prometheus's hashmod). N processes with the same targets and shards 0/N to N-1/N split them,"
          + " each target scraped by exactly one.")
  String shard;

  @Option(names = "--limit", paramLabel = "NAME=N",
      description = "Set one of every target's scrape limits (repeatable), as scrape --limit: bodySizeLimit (default"
          + " 67108864 bytes), sampleLimit (1000000), maxRedirects (5), or a parser limit: "
          + LimitOption.PARSER_NAMES + ".")
  Map<String, String> limit;

  @Option(names = "--shard-by", paramLabel = "LABEL",
      description = "With --shard: hash the value of this target label instead of the URL (a target without it: its"
          + " URL), so that the targets of one node stay in one shard: a model server and its node's dcgm-exporter,"
          + " for --gpu-hour-price. Give both a node label (file_sd labels, or relabel"
          + " __meta_kubernetes_pod_node_name to node).")
  String shardBy;

  @Parameters(paramLabel = "TARGET", arity = "0..*",
      description = "[SOURCE=][NAME@]URL, for example vllm=qwen@http://10.0.0.7:8000/metrics.")
  List<String> targetSpecs = new ArrayList<>();

  /** Stops a running watch: Ctrl-C interrupts the loop thread through a shutdown hook; tests interrupt it. */
  volatile Thread loopThread;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Duration every = interval != null ? interval : demo ? Duration.ofSeconds(5) : Duration.ofSeconds(10);
    if (every.compareTo(Duration.ofMillis(100)) < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--interval must be at least 100ms: " + every);
    }
    KpiSources installed = KpiSources.installed();
    List<WatchTarget> targets = new ArrayList<>();
    for (String t : targetSpecs) {
      try {
        targets.add(WatchTarget.parse(t, installed));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    boolean discovering = !fileSd.isEmpty() || !httpSd.isEmpty() || !kubernetesPods.isEmpty()
        || !kubernetesEndpointSlices.isEmpty();
    if (targets.isEmpty() && !demo && !discovering) {
      throw new CommandLine.ParameterException(spec.commandLine(), "no TARGET: give at least one URL, a discovery"
          + " (--file-sd, --http-sd, --kubernetes-pods), or --demo");
    }
    if (slo != null) {
      try {
        slos = Slo.parseAll(slo);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--slo: " + e.getMessage());
      }
    }
    if (serve != null) {
      if (once) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--serve keeps serving until stopped and --once"
            + " exits after one window: give one of them");
      }
      try {
        serveAddress = ServeAddress.parse(serve).resolve();
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      if (historySize < 2 || historySize > 100_000) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--history must be from 2 to 100000 windows: "
            + historySize);
      }
      if (serveTlsPasswordFile != null && serveTlsKeystore == null) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--serve-tls-password-file needs"
            + " --serve-tls-keystore FILE");
      }
      try {
        serveAccess = ServeAccess.read(serveTlsKeystore, serveTlsPasswordFile, serveBasicAuthFile);
      } catch (ServeAccess.Problem e) {
        err.println(e.getMessage());
        return FileProblem.EXIT_CODE;
      }
      if (!serveAccess.authorizations().isEmpty() && serveAccess.tls() == null
          && !serveAddress.getAddress().isLoopbackAddress()) {
        err.println("warning: --serve-basic-auth-file without --serve-tls-keystore sends the password in clear text"
            + " to " + serve);
      }
      // before the demo's simulators create the JVM's first HTTP server, which fixes the limits
      ServeEndpoint.limitJdkServer();
    } else if (spec.commandLine().getParseResult().hasMatchedOption("--history")) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--history needs --serve");
    } else if (serveTlsKeystore != null || serveTlsPasswordFile != null || serveBasicAuthFile != null) {
      throw new CommandLine.ParameterException(spec.commandLine(), (serveTlsKeystore != null
          ? "--serve-tls-keystore" : serveTlsPasswordFile != null ? "--serve-tls-password-file"
          : "--serve-basic-auth-file") + " needs --serve");
    }
    if (remoteWrite == null && (remoteWriteHeaders != null || remoteWriteTokenFile != null
        || remoteWriteSigV4Region != null)) {
      throw new CommandLine.ParameterException(spec.commandLine(), (remoteWriteHeaders != null
          ? "--remote-write-header" : remoteWriteTokenFile != null ? "--remote-write-bearer-token-file"
          : "--remote-write-sigv4") + " needs --remote-write URL");
    }
    if (shardBy != null && shard == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--shard-by needs --shard I/N");
    }
    if (remoteWriteTokenFile != null && remoteWriteSigV4Region != null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--remote-write-bearer-token-file and"
          + " --remote-write-sigv4 both set Authorization: give one");
    }
    if (demo && emf == null) {
      try {
        emf = java.nio.file.Files.createTempFile("infermetrics-demo-", ".emf.ndjson").toString();
      } catch (java.io.IOException e) {
        err.println("cannot create the demo's EMF file: " + e.getMessage());
        return 1;
      }
    }
    DemoFleet fleet = null;
    if (demo) {
      try {
        fleet = DemoFleet.start(seed);
      } catch (java.io.IOException | RuntimeException e) {
        err.println("cannot start the demo's simulators: " + e.getMessage());
        if (verbose) {
          e.printStackTrace(err);
        }
        return 1;
      }
      targets.addAll(0, fleet.targets());
      if (!json) {
        err.println("demo: simulators on loopback (load " + DemoFleet.PATTERN + "), KPIs every " + every.toMillis()
            / 1000.0 + " s, EMF to " + emf);
        err.flush();
      }
    }
    try {
      return watch(installed, targets, every, out, err);
    } finally {
      if (fleet != null) {
        fleet.close();
      }
    }
  }

  private int watch(KpiSources installed, List<WatchTarget> targets, Duration every, PrintWriter out,
      PrintWriter err) {
    Map<String, WatchTarget> names = new LinkedHashMap<>();
    for (WatchTarget t : targets) {
      if (names.putIfAbsent(t.name(), t) != null) {
        throw new CommandLine.ParameterException(spec.commandLine(), "two targets are named " + t.name()
            + "; name them with NAME@URL");
      }
    }
    // as Prometheus: the interval, at most 10 s; but at least 1 s, so a short demo interval does not fail cold scrapes
    Duration scrapeTimeout = timeout != null ? timeout
        : every.compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10)
        : every.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : every;
    List<TargetDiscovery> discoveries = discoveries();
    KpiPipeline.Builder pipeline = KpiPipeline.builder().interval(every).sources(installed)
        .threads(discoveries.isEmpty() ? Math.max(1, Math.min(8, targets.size())) : 8).slos(slos);
    if (shard != null) {
      String flag = "--shard";
      try {
        Shard mine = Shard.parse(shard);
        flag = "--shard-by";
        pipeline.shard(shardBy == null ? mine : mine.by(shardBy));
      } catch (IllegalArgumentException e) {
        discoveries.forEach(TargetDiscovery::close);
        throw new CommandLine.ParameterException(spec.commandLine(), flag + ": " + e.getMessage());
      }
    }
    java.util.function.Consumer<io.github.infermetrics.core.scrape.ScrapeTarget.Builder> scrapeLimits;
    try {
      scrapeLimits = LimitOption.scrape(limit, spec);
    } catch (CommandLine.ParameterException e) {
      discoveries.forEach(TargetDiscovery::close);
      throw e;
    }
    List<PipelineTarget> listed = new ArrayList<>();
    for (WatchTarget t : targets) {
      listed.add(t.toPipelineTarget(scrapeTimeout, scrapeLimits));
    }
    if (discoveries.isEmpty()) {
      listed.forEach(pipeline::target);
    }
    if (gpuHourPrice != null && !(gpuHourPrice > 0)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--gpu-hour-price must be positive: "
          + gpuHourPrice);
    }
    if (clusterName != null && emf == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--cluster-name needs --emf: it names the"
          + " cluster of the Container Insights GPU metrics written there");
    }
    // the GPUs of a model server's pod, from a dcgm-exporter target, joined to its KPIs
    // the live page and /api/history see what the table sees: windows with their GPUs joined
    KpiHistory history = serveAddress == null ? null : new KpiHistory(historySize);
    AcceleratorJoin.Builder joinBuilder = AcceleratorJoin.builder(new KpiConsumer() {
      @Override
      public void accept(TargetWindow window) {
        WatchCommand.this.accept(window);
        if (history != null) {
          history.accept(window);
        }
      }

      @Override
      public void removed(String target) {
        if (history != null) {
          history.removed(target);
        }
      }
    });
    listed.forEach(joinBuilder::target);
    if (gpuHourPrice != null) {
      joinBuilder.pricePerAcceleratorHour(gpuHourPrice);
    }
    AcceleratorJoin join = joinBuilder.build();
    gpuMapping = clusterName == null ? null : ContainerInsightsMapping.builder().clusterName(clusterName).build();
    if (emf != null) {
      try {
        emfOut = new EmfOutput(emf, namespace, dimensions);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      } catch (java.io.UncheckedIOException e) {
        err.println("--emf " + emf + ": " + FileProblem.reason(emf, e.getCause()));
        return FileProblem.EXIT_CODE;
      }
    }
    if (remoteWrite != null) {
      try {
        remoteOut = new RemoteWriteOutput(remoteWrite, remoteWriteHeaders, remoteWriteTokenFile,
            remoteWriteSigV4Region, dimensions);
      } catch (IllegalArgumentException e) {
        closeEmf(err);
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      } catch (java.io.UncheckedIOException e) {
        closeEmf(err);
        err.println("--remote-write-bearer-token-file " + remoteWriteTokenFile + ": "
            + FileProblem.reason(remoteWriteTokenFile.toString(), e.getCause()));
        return FileProblem.EXIT_CODE;
      } catch (AwsSetup.Missing e) {
        closeEmf(err);
        err.println("--remote-write-sigv4: " + e.getMessage());
        return 2;
      }
    }
    pipeline.consumer(join);
    // EMF on standard output is a stream of JSON lines: the table goes to standard error then
    PrintWriter table = "stdout".equals(emf) ? err : out;
    ServeEndpoint endpoint = null;
    try (KpiPipeline p = pipeline.build();
         WatchDiscovery discovery = new WatchDiscovery(p, join, listed, discoveries, scrapeTimeout, scrapeLimits,
             err)) {
      if (history != null) {
        try {
          endpoint = ServeEndpoint.start(serveAddress, p, history, serveAccess);
        } catch (java.io.IOException e) {
          err.println("--serve " + serve + ": cannot listen: " + e.getMessage());
          return 1;
        }
        servedAt = endpoint.uri().toString();
        err.println("serving on " + servedAt + " (the live page; /metrics for Prometheus, /api/kpis as JSON)");
        err.flush();
      }
      discovery.start();
      int code = once ? runOnce(p, every, table) : runLive(p, every, table);
      List<String> discoveryProblems = discovery.problems();
      discoveryProblems.forEach(problem -> err.println("watch: " + problem));
      // --once: a discovery that failed (its file missing, its endpoint down) and what was lost on the way out are
      // failures too; close the outputs now to know it
      return once && (closeOutputs(err) || !discoveryProblems.isEmpty()) ? 1 : code;
    } catch (RuntimeException e) {
      err.println("watch failed: " + e);
      if (verbose) {
        e.printStackTrace(err);
      }
      return 1;
    } finally {
      if (endpoint != null) {
        endpoint.close();
      }
      closeOutputs(err);
      out.flush();
      err.flush();
      synchronized (this) {
        stopped = true; // after EMF is flushed: a Ctrl-C may now end the JVM
        notifyAll();
      }
    }
  }

  /** The discoveries of the flags, each checked now so that a bad spec is a usage error. */
  private List<TargetDiscovery> discoveries() {
    List<TargetDiscovery> out = new ArrayList<>();
    try {
      for (String f : fileSd) {
        out.add(new FileSdDiscovery(FileSdConfig.parse(f)));
      }
      for (String u : httpSd) {
        out.add(new HttpSdDiscovery(HttpSdConfig.parse(u)));
      }
      for (String k : kubernetesPods) {
        out.add(new KubernetesPodDiscovery(KubernetesPodsConfig.parse(k)));
      }
      for (String k : kubernetesEndpointSlices) {
        out.add(new KubernetesEndpointSliceDiscovery(KubernetesEndpointSlicesConfig.parse(k)));
      }
    } catch (IllegalArgumentException e) {
      out.forEach(TargetDiscovery::close);
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    return out;
  }

  private EmfOutput emfOut;
  private RemoteWriteOutput remoteOut;
  private List<Slo> slos = List.of();
  private java.net.InetSocketAddress serveAddress;
  private ServeAccess serveAccess = ServeAccess.OPEN;
  /** The live page's address once serving, for the terminal's heading. */
  private String servedAt;

  /** Closes EMF (once), prints its summary and tells whether events were lost. */
  private boolean closeEmf(PrintWriter err) {
    if (emfOut == null) {
      return false;
    }
    emfOut.close();
    err.println(emfOut.summary());
    boolean lost = emfOut.lost() > 0;
    emfOut = null;
    return lost;
  }

  /** Closes EMF and remote write (once each), prints their summaries and tells whether anything was lost. */
  private boolean closeOutputs(PrintWriter err) {
    boolean lost = closeEmf(err);
    if (remoteOut != null) {
      remoteOut.close();
      err.println(remoteOut.summary());
      lost |= remoteOut.lost() > 0;
      remoteOut = null;
    }
    return lost;
  }

  /** The latest window of each target's GPUs joined to its KPIs, for the table (the pipeline's status has none). */
  private final Map<String, TargetWindow> joined = new java.util.concurrent.ConcurrentHashMap<>();
  private ContainerInsightsMapping gpuMapping;

  /** Takes a window on a scraper thread: its KPIs go to EMF and remote write at once, the table shows them later. */
  private void accept(TargetWindow window) {
    if (window.source(AcceleratorJoin.SOURCE).isPresent()) {
      joined.put(window.target(), window);
    }
    for (KpiSet set : window.kpiSets()) {
      if (emfOut != null) {
        emfOut.write(set);
      }
      if (remoteOut != null) {
        remoteOut.write(set);
      }
    }
    if (gpuMapping != null && emfOut != null) {
      for (SourceWindow sw : window.sources()) {
        if (sw.window() instanceof DcgmKpis d) {
          emfOut.writeGpu(gpuMapping.map(d.snapshot()), window.at().toEpochMilli());
        }
      }
    }
  }

  private int runOnce(KpiPipeline pipeline, Duration every, PrintWriter out) {
    try {
      pipeline.scrapeAll();
      Thread.sleep(every.toMillis());
      pipeline.scrapeAll();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<TargetStatus> statuses = pipeline.status();
    joined.keySet().retainAll(statuses.stream().map(TargetStatus::name).toList());
    print(statuses, out, false);
    return statuses.stream().allMatch(s -> s.state() == TargetStatus.State.UP) ? 0 : 1;
  }

  private int runLive(KpiPipeline pipeline, Duration every, PrintWriter out) {
    loopThread = Thread.currentThread();
    Thread hook = new Thread(this::stopFromShutdown, "infermetrics-watch-stop");
    boolean hooked = addShutdownHook(hook);
    boolean tty = System.console() != null && !json;
    try {
      pipeline.start();
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(every.toMillis());
        print(pipeline.status(), out, tty);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      out.flush();
      if (hooked) {
        removeShutdownHook(hook);
      }
    }
    return 0;
  }

  private boolean stopped;

  /** Ctrl-C: let the loop flush and finish, then end the JVM with 0 rather than SIGINT's 130. */
  private void stopFromShutdown() {
    Thread t = loopThread;
    if (t == null) {
      return;
    }
    t.interrupt();
    synchronized (this) {
      long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!stopped && System.nanoTime() < end) {
        try {
          wait(100);
        } catch (InterruptedException e) {
          break;
        }
      }
    }
    spec.commandLine().getOut().flush();
    Runtime.getRuntime().halt(0);
  }

  private static boolean addShutdownHook(Thread hook) {
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      return true;
    } catch (IllegalStateException e) {
      return false; // already shutting down
    }
  }

  private static void removeShutdownHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // shutting down: the hook is running or ran
    }
  }

  private final WatchView view = new WatchView();

  private void print(List<TargetStatus> statuses, PrintWriter out, boolean tty) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    if (json) {
      out.print(WatchView.json(now, statuses, joined));
    } else {
      view.draw(statuses, joined);
      if (tty) {
        // home and clear, so the table is redrawn in place
        out.print("\u001b[H\u001b[2J");
        out.println("infermetrics watch: " + statuses.size() + " target(s), " + now + " (Ctrl-C to stop)"
            + (servedAt == null ? "" : ", serving on " + servedAt));
        out.println();
      } else {
        out.println("# " + now);
      }
      view.write(out);
    }
    out.flush();
  }
}
