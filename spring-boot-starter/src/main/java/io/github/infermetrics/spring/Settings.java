package io.github.infermetrics.spring;

import io.github.infermetrics.cloudwatch.AgentSink;
import io.github.infermetrics.cloudwatch.EmfSink;
import io.github.infermetrics.cloudwatch.EmfWriter;
import io.github.infermetrics.core.discovery.FileSdConfig;
import io.github.infermetrics.core.discovery.HttpSdConfig;
import io.github.infermetrics.core.kpi.KpiSources;
import io.github.infermetrics.core.kpi.Slo;
import io.github.infermetrics.core.pipeline.PipelineTarget;
import io.github.infermetrics.core.pipeline.Shard;
import io.github.infermetrics.core.scrape.ScrapeTarget;
import io.github.infermetrics.remotewrite.RemoteWriteSink;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.util.ClassUtils;

/**
 * {@link InfermetricsProperties} read into what the pipeline takes, with every problem under its property path. The
 * validator and the auto-configuration read the properties through this one class, so what passes validation is
 * exactly what runs.
 */
final class Settings {
  /** The class whose presence means the optional Kubernetes module is there. */
  static final String KUBERNETES_CLASS = "io.github.infermetrics.kubernetes.KubernetesPodDiscovery";

  private static final Duration MIN_INTERVAL = Duration.ofMillis(100);
  private static final String URL_EXAMPLE = "for example http://10.0.0.7:8000/metrics";

  /**
   * A property that is not valid.
   *
   * @param path the path under {@code infermetrics.}, dashed, as Spring Boot prints it: {@code targets[1].url}
   * @param message what is wrong, one line
   * @param secret whether its value may hold credentials (a header), so must not be printed
   */
  record Problem(String path, String message, boolean secret) {}

  private final InfermetricsProperties properties;
  private final List<Problem> problems = new ArrayList<>();
  private final KpiSources sources;
  private Duration interval;
  private Duration timeout;
  private Consumer<ScrapeTarget.Builder> limits = target -> { };
  private List<Slo> slos = List.of();
  private Shard shard = Shard.ALL;
  private final List<PipelineTarget> targets = new ArrayList<>();
  private FileSdConfig fileSd;
  private final List<HttpSdConfig> httpSd = new ArrayList<>();

  private Settings(InfermetricsProperties properties) {
    this.properties = properties;
    this.sources = KpiSources.installed(properties.classLoader());
  }

  /**
   * Reads the properties.
   *
   * @param properties bound properties
   * @return the settings, with {@link #problems()} empty when all is well
   */
  static Settings resolve(InfermetricsProperties properties) {
    Settings s = new Settings(properties);
    s.readPipeline();
    s.readLimits();
    s.readTargets();
    s.readDiscovery();
    s.readEmf();
    s.readRemoteWrite();
    return s;
  }

  /**
   * Reads the properties that must be valid by now (the validator has seen them).
   *
   * @param properties bound properties
   * @return the settings
   * @throws IllegalStateException listing the problems, when there are any
   */
  static Settings require(InfermetricsProperties properties) {
    Settings s = resolve(properties);
    if (!s.problems.isEmpty()) {
      StringBuilder b = new StringBuilder("invalid infermetrics properties:");
      for (Problem p : s.problems) {
        b.append(" infermetrics.").append(p.path()).append(": ").append(p.message()).append(';');
      }
      throw new IllegalStateException(b.substring(0, b.length() - 1));
    }
    return s;
  }

  List<Problem> problems() {
    return problems;
  }

  Duration interval() {
    return interval;
  }

  int threads() {
    return properties.getThreads();
  }

  List<Slo> slos() {
    return slos;
  }

  Shard shard() {
    return shard;
  }

  KpiSources sources() {
    return sources;
  }

  /** The listed targets, in order, named apart. */
  List<PipelineTarget> targets() {
    return targets;
  }

  /** The scrape timeout of targets that set none, discovered ones included. */
  Duration timeout() {
    return timeout;
  }

  /** Sets {@code infermetrics.limits} on a target's scrape, discovered ones included. */
  Consumer<ScrapeTarget.Builder> limits() {
    return limits;
  }

  Optional<FileSdConfig> fileSd() {
    return Optional.ofNullable(fileSd);
  }

  List<HttpSdConfig> httpSd() {
    return httpSd;
  }

  /** A writer of the {@code infermetrics.emf} namespace and dimensions onto a sink. */
  EmfWriter emfWriter(EmfSink sink) {
    InfermetricsProperties.Emf emf = properties.getEmf();
    EmfWriter.Builder b = EmfWriter.builder(emf.getNamespace()).sink(sink).targetDimension(emf.isTargetDimension());
    emf.getDimensions().forEach(b::defaultDimension);
    return b.build();
  }

  /** The configured remote-write sink, not started; present when {@code infermetrics.remote-write.url} is set. */
  Optional<RemoteWriteSink.Builder> remoteWrite() {
    InfermetricsProperties.RemoteWrite rw = properties.getRemoteWrite();
    if (rw.getUrl() == null) {
      return Optional.empty();
    }
    RemoteWriteSink.Builder b = RemoteWriteSink.builder(httpUrl(rw.getUrl()));
    rw.getHeaders().forEach(b::header);
    rw.getExternalLabels().forEach(b::externalLabel);
    return Optional.of(b);
  }

  private void readPipeline() {
    interval = properties.getInterval();
    if (interval == null || interval.compareTo(MIN_INTERVAL) < 0) {
      problem("interval", "must be at least 100ms: " + interval);
      interval = Duration.ofSeconds(10);
    }
    // as Prometheus: the interval, at most 10 s; but at least 1 s, so a short interval does not fail cold scrapes
    timeout = interval.compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10)
        : interval.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : interval;
    if (properties.getTimeout() != null) {
      if (positive("timeout", properties.getTimeout())) {
        timeout = properties.getTimeout();
      }
    }
    if (properties.getThreads() < 1) {
      problem("threads", "must be at least 1: " + properties.getThreads());
    }
    String spec = properties.getSlos();
    if (spec != null && !spec.isBlank()) {
      try {
        slos = Slo.parseAll(spec);
      } catch (IllegalArgumentException e) {
        problem("slos", e.getMessage());
      }
    }
    String shardSpec = properties.getShard();
    String shardBy = properties.getShardBy();
    if (shardSpec != null && !shardSpec.isBlank()) {
      try {
        shard = Shard.parse(shardSpec);
      } catch (IllegalArgumentException e) {
        problem("shard", e.getMessage());
      }
      if (shardBy != null && !shardBy.isBlank()) {
        try {
          shard = shard.by(shardBy.trim());
        } catch (IllegalArgumentException e) {
          problem("shard-by", e.getMessage());
        }
      }
    } else if (shardBy != null && !shardBy.isBlank()) {
      problem("shard-by", "needs infermetrics.shard (I/N)");
    }
  }

  /**
   * {@code infermetrics.limits.NAME=N}, NAME as a limit's error gives it (in any case and with dashes, as Spring
   * Boot may pass it from an environment variable or a dashed key).
   */
  private void readLimits() {
    Map<String, Long> set = new LinkedHashMap<>();
    ScrapeTarget.Builder check = ScrapeTarget.builder(URI.create("http://127.0.0.1/"));
    for (Map.Entry<String, String> e : properties.getLimits().entrySet()) {
      String at = "limits." + e.getKey();
      String key = e.getKey().replace("-", "").replace("_", "").strip();
      Optional<String> name = ScrapeTarget.LIMITS.stream().filter(key::equalsIgnoreCase).findFirst();
      if (name.isEmpty()) {
        problem(at, "no such limit (" + String.join(", ", ScrapeTarget.LIMITS) + ")");
        continue;
      }
      String value = e.getValue() == null ? "" : e.getValue().strip().replace("_", "");
      long n;
      try {
        n = Long.parseLong(value);
      } catch (NumberFormatException x) {
        problem(at, "not a whole number: '" + e.getValue() + "'");
        continue;
      }
      try {
        check.limit(name.get(), n); // on a target of no consequence, so that a bad value is reported now
        set.put(name.get(), n);
      } catch (IllegalArgumentException x) {
        problem(at, x.getMessage());
      }
    }
    if (!set.isEmpty()) {
      limits = target -> set.forEach(target::limit);
    }
  }

  private void readTargets() {
    Map<String, Integer> names = new LinkedHashMap<>();
    List<InfermetricsProperties.Target> listed = properties.getTargets();
    for (int i = 0; i < listed.size(); i++) {
      String at = "targets[" + i + "]";
      InfermetricsProperties.Target t = listed.get(i);
      if (t == null || t.getUrl() == null || t.getUrl().isBlank()) {
        problem(at + ".url", "required, " + URL_EXAMPLE);
        continue;
      }
      URI uri;
      try {
        uri = httpUrl(t.getUrl());
      } catch (CredentialsInUrl e) {
        secretProblem(at + ".url", e.getMessage());
        continue;
      } catch (IllegalArgumentException e) {
        problem(at + ".url", e.getMessage());
        continue;
      }
      PipelineTarget.Builder b = PipelineTarget.builder(uri).timeout(timeout).scrape(limits);
      boolean ok = true;
      if (t.getName() != null) {
        if (t.getName().isBlank()) {
          problem(at + ".name", "is blank; leave it out for host:port");
          ok = false;
        } else {
          b.name(t.getName().strip());
        }
      }
      if (t.getSource() != null) {
        for (String source : t.getSource().split(",")) {
          String name = source.strip().toLowerCase(Locale.ROOT);
          if (name.isEmpty()) {
            continue;
          }
          if (sources.find(name).isEmpty()) {
            problem(at + ".source", "unknown source '" + source.strip() + "'; installed: "
                + String.join(", ", sources.names()));
            ok = false;
          } else {
            b.source(name);
          }
        }
      }
      if (t.getPod() != null) {
        String pod = t.getPod().strip();
        int slash = pod.indexOf('/');
        if (slash <= 0 || slash == pod.length() - 1 || pod.indexOf('/', slash + 1) >= 0) {
          problem(at + ".pod", "must be namespace/name: '" + t.getPod() + "'");
          ok = false;
        } else {
          b.pod(pod);
        }
      }
      if (t.getTimeout() != null) {
        if (positive(at + ".timeout", t.getTimeout())) {
          b.timeout(t.getTimeout());
        } else {
          ok = false;
        }
      }
      if (!ok) {
        continue;
      }
      PipelineTarget target = b.build();
      Integer first = names.putIfAbsent(target.name(), i);
      if (first != null) {
        problem(at + ".name", "targets[" + first + "] is named " + target.name() + " too; give one of them"
            + " another name");
        continue;
      }
      targets.add(target);
    }
  }

  private void readDiscovery() {
    InfermetricsProperties.FileSd fs = properties.getFileSd();
    if (!fs.getFiles().isEmpty()) {
      boolean ok = positive("file-sd.check-interval", fs.getCheckInterval())
          & positive("file-sd.refresh-interval", fs.getRefreshInterval());
      FileSdConfig.Builder b = FileSdConfig.builder();
      for (int i = 0; i < fs.getFiles().size(); i++) {
        String file = fs.getFiles().get(i);
        try {
          // checked one by one, so that the problem names the entry
          FileSdConfig.builder().file(file == null ? "" : file.strip()).build();
          b.file(file.strip());
        } catch (IllegalArgumentException e) {
          problem("file-sd.files[" + i + "]", e.getMessage());
          ok = false;
        }
      }
      if (ok) {
        fileSd = b.checkInterval(fs.getCheckInterval()).refreshInterval(fs.getRefreshInterval()).build();
      }
    }
    List<InfermetricsProperties.HttpSd> http = properties.getHttpSd();
    for (int i = 0; i < http.size(); i++) {
      String at = "http-sd[" + i + "]";
      InfermetricsProperties.HttpSd h = http.get(i);
      if (h == null || h.getUrl() == null || h.getUrl().isBlank()) {
        problem(at + ".url", "required, for example http://sd.internal:8080/targets");
        continue;
      }
      URI uri;
      try {
        uri = new URI(h.getUrl().strip());
      } catch (URISyntaxException e) {
        problem(at + ".url", "not a URL: '" + h.getUrl() + "': " + e.getReason().toLowerCase(Locale.ROOT));
        continue;
      }
      HttpSdConfig.Builder b;
      try {
        b = HttpSdConfig.builder(uri);
        b.build();
      } catch (IllegalArgumentException e) {
        problem(at + ".url", e.getMessage().replaceFirst("^http_sd url ", ""));
        continue;
      }
      boolean ok = positive(at + ".refresh-interval", h.getRefreshInterval());
      if (ok) {
        b.refreshInterval(h.getRefreshInterval());
      }
      if (h.getTimeout() != null) {
        if (positive(at + ".timeout", h.getTimeout())) {
          b.timeout(h.getTimeout());
        } else {
          ok = false;
        }
      }
      for (Map.Entry<String, String> e : h.getHeaders().entrySet()) {
        b.header(e.getKey(), e.getValue() == null ? "" : e.getValue());
      }
      try {
        httpSd.add(b.build());
      } catch (IllegalArgumentException e) {
        // only the headers are left to be wrong here; the message names the header, never its value
        if (ok) {
          secretProblem(at + ".headers", e.getMessage());
        }
      }
    }
    InfermetricsProperties.Kubernetes k = properties.getKubernetes();
    if (!k.getPods().isEmpty() || !k.getEndpointSlices().isEmpty()) {
      if (!ClassUtils.isPresent(KUBERNETES_CLASS, properties.classLoader())) {
        String path = k.getPods().isEmpty() ? "kubernetes.endpoint-slices" : "kubernetes.pods";
        problem(path, "needs the dependency io.github.infermetrics:infermetrics-kubernetes on the class path");
      } else {
        KubernetesDiscoveries.check(k).forEach(this::problem);
      }
    }
  }

  private void readEmf() {
    InfermetricsProperties.Emf emf = properties.getEmf();
    if (emf.getSink() != null) {
      String problem = emfSinkProblem(emf.getSink());
      if (problem != null) {
        problem("emf.sink", problem);
      }
    }
    EmfWriter.Builder b;
    try {
      b = EmfWriter.builder(emf.getNamespace() == null ? "" : emf.getNamespace());
    } catch (IllegalArgumentException e) {
      problem("emf.namespace", e.getMessage().replaceFirst("^namespace: ", ""));
      return;
    }
    for (Map.Entry<String, String> d : emf.getDimensions().entrySet()) {
      try {
        b.defaultDimension(d.getKey(), d.getValue() == null ? "" : d.getValue());
      } catch (IllegalArgumentException e) {
        problem("emf.dimensions", e.getMessage().replaceFirst("^defaultDimension ", "dimension "));
      }
    }
  }

  /** What {@code EmfSinks.parse} would refuse, found without opening the sink (no file made, no connection). */
  private static String emfSinkProblem(String spec) {
    String s = spec.strip();
    if (s.isEmpty()) {
      return "empty; expected stdout, tcp://HOST:PORT, udp://HOST:PORT or a file path";
    }
    if (s.equals("stdout") || s.equals("-")) {
      return null;
    }
    int scheme = s.indexOf("://");
    if (scheme > 0) {
      try {
        AgentSink.builder(new URI(s));
        return null;
      } catch (URISyntaxException e) {
        return "not a URI: '" + s + "': " + e.getReason().toLowerCase(Locale.ROOT);
      } catch (IllegalArgumentException e) {
        return e.getMessage() + "; expected stdout, tcp://HOST:PORT, udp://HOST:PORT or a file path";
      }
    }
    try {
      Path.of(s);
      return null;
    } catch (InvalidPathException e) {
      return "not a file path: " + e.getMessage();
    }
  }

  private void readRemoteWrite() {
    InfermetricsProperties.RemoteWrite rw = properties.getRemoteWrite();
    if (rw.getUrl() == null) {
      if (!rw.getHeaders().isEmpty() || !rw.getExternalLabels().isEmpty()) {
        problem("remote-write.url", "required when remote-write.headers or remote-write.external-labels are set");
      }
      return;
    }
    RemoteWriteSink.Builder b;
    try {
      b = RemoteWriteSink.builder(httpUrl(rw.getUrl()));
    } catch (CredentialsInUrl e) {
      secretProblem("remote-write.url", e.getMessage());
      return;
    } catch (IllegalArgumentException e) {
      problem("remote-write.url", e.getMessage().replaceFirst("^uri: ", ""));
      return;
    }
    for (Map.Entry<String, String> h : rw.getHeaders().entrySet()) {
      try {
        b.header(h.getKey(), h.getValue() == null ? "" : h.getValue());
      } catch (IllegalArgumentException e) {
        secretProblem("remote-write.headers", e.getMessage().replaceFirst("^header: ", ""));
      }
    }
    for (Map.Entry<String, String> l : rw.getExternalLabels().entrySet()) {
      try {
        b.externalLabel(l.getKey(), l.getValue() == null ? "" : l.getValue());
      } catch (IllegalArgumentException e) {
        problem("remote-write.external-labels", e.getMessage().replaceFirst("^externalLabel: ", ""));
      }
    }
  }

  /**
   * An http(s) endpoint as written in a property: without a scheme, {@code http://} is assumed, as the CLI and
   * curl do.
   *
   * @throws IllegalArgumentException one line that quotes the text and says what is wrong
   */
  static URI httpUrl(String text) {
    String t = text.strip();
    String full = t.contains("://") ? t : "http://" + t;
    URI uri;
    try {
      uri = new URI(full);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: '" + t + "': " + e.getReason().toLowerCase(Locale.ROOT));
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("not an http(s) URL: '" + t + "' (" + URL_EXAMPLE + ")");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("no host in '" + t + "' (" + URL_EXAMPLE + ")");
    }
    if (uri.getPort() > 65535) {
      throw new IllegalArgumentException("port " + uri.getPort() + " out of range in '" + t + "' (1 to 65535)");
    }
    if (uri.getRawUserInfo() != null) {
      throw new CredentialsInUrl("user info in the URL of " + uri.getHost() + ": credentials do not belong in a URL");
    }
    return uri;
  }

  /** A URL with user info: its problem is reported without the value, which holds a password. */
  static final class CredentialsInUrl extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    CredentialsInUrl(String message) {
      super(message);
    }
  }

  private boolean positive(String path, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      problem(path, "must be positive: " + d);
      return false;
    }
    return true;
  }

  private void problem(String path, String message) {
    problems.add(new Problem(path, message, false));
  }

  private void secretProblem(String path, String message) {
    problems.add(new Problem(path, message, true));
  }
}
