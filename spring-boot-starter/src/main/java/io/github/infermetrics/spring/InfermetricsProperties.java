package io.github.infermetrics.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * The settings under {@code infermetrics.*}: the targets to watch, listed or discovered, how often, the latency
 * objectives, and the EMF and remote-write sinks. For example, in {@code application.yml}:
 *
 * <pre>
 * infermetrics:
 *   interval: 15s
 *   slos: ttft=500ms,e2e=20s
 *   targets:
 *     - url: http://10.0.0.7:8000/metrics
 *       name: qwen
 *       source: vllm
 *   file-sd:
 *     files: [/etc/infermetrics/targets/*.json]
 *   kubernetes:
 *     pods: ["namespace=serving,selector=app=vllm,port=metrics"]
 *   emf:
 *     sink: tcp://127.0.0.1:25888
 *     dimensions: {cluster: prod}
 * </pre>
 *
 * <p>The settings are checked when they are bound: a bad value stops the application at start with one line that
 * names the property ({@code infermetrics.targets[1].url: not an http(s) URL: 'ftp://x' ...}); header values,
 * which may hold credentials, are never printed.
 */
@ConfigurationProperties("infermetrics")
public class InfermetricsProperties implements Validator, BeanClassLoaderAware {
  /** Whether the starter runs a KPI pipeline at all. */
  private boolean enabled = true;

  /** Time between two scrapes of a target, which is also the window the KPIs are computed over. At least 100ms. */
  private Duration interval = Duration.ofSeconds(10);

  /** Time one scrape may take, for every target that sets none. Default: the interval, but from 1s to 10s. */
  private Duration timeout;

  /** Threads that scrape; they mostly wait on the network. */
  private int threads = 4;

  /**
   * Limits of every target's scrapes, listed or discovered, each a whole number by the name a limit's error gives:
   * the parser's (maxLineLength, maxLabelsPerSeries, maxNameLength, maxLabelValueLength, maxSeries,
   * maxExemplarLabelCodePoints, maxInputBytes, maxFamilies, maxHelpBytes) and the target's own (bodySizeLimit,
   * sampleLimit, maxRedirects). For example infermetrics.limits.sampleLimit=5000000.
   */
  private Map<String, String> limits = new LinkedHashMap<>();

  /**
   * Latency objectives whose goodput every window gets, comma-separated NAME=DURATION with NAME one of ttft, itl
   * (or tpot), e2e (or e2el) and queue, for example ttft=500ms,e2e=20s.
   */
  private String slos;
  private String shard;
  private String shardBy;

  /** Targets to watch, besides those that discovery finds. */
  private List<Target> targets = new ArrayList<>();

  /** Targets from Prometheus file_sd files, re-read when they change. */
  private final FileSd fileSd = new FileSd();

  /** Targets from Prometheus http_sd endpoints, polled. */
  private List<HttpSd> httpSd = new ArrayList<>();

  /** Targets from the Kubernetes API (needs io.github.infermetrics:infermetrics-kubernetes). */
  private final Kubernetes kubernetes = new Kubernetes();

  /** KPIs as CloudWatch Embedded Metric Format events. */
  private final Emf emf = new Emf();

  /** KPIs through Prometheus remote write. */
  private final RemoteWrite remoteWrite = new RemoteWrite();

  private ClassLoader classLoader = InfermetricsProperties.class.getClassLoader();

  /** Every setting at its default: no targets, no discovery, no sinks, a 10 s interval. */
  public InfermetricsProperties() {}

  /**
   * Whether the starter runs a pipeline.
   *
   * @return true unless {@code infermetrics.enabled=false}
   */
  public boolean isEnabled() {
    return enabled;
  }

  /**
   * Sets {@code infermetrics.enabled}.
   *
   * @param enabled false to turn the starter off
   */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * The scrape interval and KPI window.
   *
   * @return the interval
   */
  public Duration getInterval() {
    return interval;
  }

  /**
   * Sets {@code infermetrics.interval}.
   *
   * @param interval at least 100 ms
   */
  public void setInterval(Duration interval) {
    this.interval = interval;
  }

  /**
   * The default scrape timeout.
   *
   * @return the timeout, or null for the interval bounded to 1 to 10 s
   */
  public Duration getTimeout() {
    return timeout;
  }

  /**
   * Sets {@code infermetrics.timeout}.
   *
   * @param timeout positive
   */
  public void setTimeout(Duration timeout) {
    this.timeout = timeout;
  }

  /**
   * The scrape limits by name, for example {@code sampleLimit} to {@code 5000000}.
   *
   * @return the limits as written; checked when bound
   */
  public Map<String, String> getLimits() {
    return limits;
  }

  /**
   * Sets {@code infermetrics.limits}.
   *
   * @param limits by name, each a whole number
   */
  public void setLimits(Map<String, String> limits) {
    this.limits = limits;
  }

  /**
   * The scraping threads.
   *
   * @return at least 1
   */
  public int getThreads() {
    return threads;
  }

  /**
   * Sets {@code infermetrics.threads}.
   *
   * @param threads at least 1
   */
  public void setThreads(int threads) {
    this.threads = threads;
  }

  /**
   * The latency objectives.
   *
   * @return for example {@code ttft=500ms,e2e=20s}, or null
   */
  public String getSlos() {
    return slos;
  }

  /**
   * Sets {@code infermetrics.slos}.
   *
   * @param slos for example {@code ttft=500ms,e2e=20s}
   */
  public void setSlos(String slos) {
    this.slos = slos;
  }

  /**
   * This application's shard of the targets.
   *
   * @return {@code I/N}, or null for every target
   */
  public String getShard() {
    return shard;
  }

  /**
   * Sets {@code infermetrics.shard}: scrape only the targets, listed or discovered, whose URL hashes to shard I of N
   * (MD5, as Prometheus's hashmod), so that N replicas with the same targets split them.
   *
   * @param shard for example {@code 0/4}; in a StatefulSet, from the pod's ordinal
   */
  public void setShard(String shard) {
    this.shard = shard;
  }

  /**
   * The target label the shard hashes instead of the URL.
   *
   * @return the label name, or null to hash the URL
   */
  public String getShardBy() {
    return shardBy;
  }

  /**
   * Sets {@code infermetrics.shard-by}: with {@code infermetrics.shard}, hash the value of this target label instead
   * of the URL (a target without it: its URL), so that a model server and its node's GPU exporter, both labelled
   * with the node, share a shard.
   *
   * @param shardBy a label name, for example {@code node}
   */
  public void setShardBy(String shardBy) {
    this.shardBy = shardBy;
  }

  /**
   * The listed targets.
   *
   * @return the list, which binding fills
   */
  public List<Target> getTargets() {
    return targets;
  }

  /**
   * Sets {@code infermetrics.targets}.
   *
   * @param targets the targets
   */
  public void setTargets(List<Target> targets) {
    this.targets = targets;
  }

  /**
   * The file_sd settings.
   *
   * @return the settings
   */
  public FileSd getFileSd() {
    return fileSd;
  }

  /**
   * The http_sd endpoints.
   *
   * @return the list, which binding fills
   */
  public List<HttpSd> getHttpSd() {
    return httpSd;
  }

  /**
   * Sets {@code infermetrics.http-sd}.
   *
   * @param httpSd the endpoints
   */
  public void setHttpSd(List<HttpSd> httpSd) {
    this.httpSd = httpSd;
  }

  /**
   * The Kubernetes discovery settings.
   *
   * @return the settings
   */
  public Kubernetes getKubernetes() {
    return kubernetes;
  }

  /**
   * The EMF sink settings.
   *
   * @return the settings
   */
  public Emf getEmf() {
    return emf;
  }

  /**
   * The remote-write sink settings.
   *
   * @return the settings
   */
  public RemoteWrite getRemoteWrite() {
    return remoteWrite;
  }

  /**
   * Takes the application's class loader, in which the sources and the optional Kubernetes module are looked up.
   *
   * @param classLoader the bean class loader
   */
  @Override
  public void setBeanClassLoader(ClassLoader classLoader) {
    this.classLoader = classLoader;
  }

  ClassLoader classLoader() {
    return classLoader;
  }

  /**
   * Validates only this class.
   *
   * @param type the class of the object to validate
   * @return whether it is this class
   */
  @Override
  public boolean supports(Class<?> type) {
    return InfermetricsProperties.class.isAssignableFrom(type);
  }

  /**
   * Checks every setting as the pipeline will read it, and rejects each bad one under its property path.
   *
   * @param target these properties, bound
   * @param errors where problems go
   */
  @Override
  public void validate(Object target, Errors errors) {
    for (Settings.Problem p : Settings.resolve((InfermetricsProperties) target).problems()) {
      if (p.secret()) {
        // a global error: Spring Boot prints a field error's value, and this one may hold credentials
        errors.reject("infermetrics.invalid", "infermetrics." + p.path() + ": " + p.message());
      } else {
        errors.rejectValue(p.path(), "infermetrics.invalid", p.message());
      }
    }
  }

  /** One listed target, {@code infermetrics.targets[N]}. */
  public static class Target {
    /** The metrics endpoint, for example http://10.0.0.7:8000/metrics; http:// is assumed when left out. */
    private String url;

    /** What the KPIs' target dimension and the health details call it. Default: host:port of the URL. */
    private String name;

    /**
     * The source it serves (vllm, triton, neuron, or several comma-separated); detected from each scrape when left
     * out.
     */
    private String source;

    /** The Kubernetes pod serving it, namespace/name, which joins its accelerators' metrics. */
    private String pod;

    /** Time one scrape of it may take. Default: infermetrics.timeout. */
    private Duration timeout;

    /** No URL yet: binding sets it. */
    public Target() {}

    /**
     * The endpoint.
     *
     * @return the URL as written
     */
    public String getUrl() {
      return url;
    }

    /**
     * Sets the endpoint.
     *
     * @param url for example {@code http://10.0.0.7:8000/metrics}
     */
    public void setUrl(String url) {
      this.url = url;
    }

    /**
     * The name.
     *
     * @return the name, or null for host:port
     */
    public String getName() {
      return name;
    }

    /**
     * Sets the name.
     *
     * @param name not blank
     */
    public void setName(String name) {
      this.name = name;
    }

    /**
     * The source.
     *
     * @return for example {@code vllm}, or null to detect it
     */
    public String getSource() {
      return source;
    }

    /**
     * Sets the source.
     *
     * @param source an installed source's name, or several comma-separated
     */
    public void setSource(String source) {
      this.source = source;
    }

    /**
     * The pod.
     *
     * @return {@code namespace/name}, or null
     */
    public String getPod() {
      return pod;
    }

    /**
     * Sets the pod.
     *
     * @param pod {@code namespace/name}
     */
    public void setPod(String pod) {
      this.pod = pod;
    }

    /**
     * The scrape timeout.
     *
     * @return the timeout, or null for the default
     */
    public Duration getTimeout() {
      return timeout;
    }

    /**
     * Sets the scrape timeout.
     *
     * @param timeout positive
     */
    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }
  }

  /** {@code infermetrics.file-sd}: Prometheus's file_sd_configs. */
  public static class FileSd {
    /**
     * Files in Prometheus's file_sd format (.json, .yml or .yaml), each a name or a pattern with * in its last path
     * element.
     */
    private List<String> files = new ArrayList<>();

    /**
     * How often each file's modification time, size and identity are compared, which catches what file-system
     * events miss.
     */
    private Duration checkInterval = Duration.ofSeconds(5);

    /** How often every file is read again whatever its metadata says. */
    private Duration refreshInterval = Duration.ofMinutes(5);

    /** No files. */
    public FileSd() {}

    /**
     * The files.
     *
     * @return the names or patterns
     */
    public List<String> getFiles() {
      return files;
    }

    /**
     * Sets the files.
     *
     * @param files names or patterns
     */
    public void setFiles(List<String> files) {
      this.files = files;
    }

    /**
     * The metadata check interval.
     *
     * @return the interval
     */
    public Duration getCheckInterval() {
      return checkInterval;
    }

    /**
     * Sets the metadata check interval.
     *
     * @param checkInterval positive
     */
    public void setCheckInterval(Duration checkInterval) {
      this.checkInterval = checkInterval;
    }

    /**
     * The full re-read interval.
     *
     * @return the interval
     */
    public Duration getRefreshInterval() {
      return refreshInterval;
    }

    /**
     * Sets the full re-read interval.
     *
     * @param refreshInterval positive
     */
    public void setRefreshInterval(Duration refreshInterval) {
      this.refreshInterval = refreshInterval;
    }
  }

  /** One {@code infermetrics.http-sd[N]}: Prometheus's http_sd_configs. */
  public static class HttpSd {
    /** The endpoint that returns the target groups as JSON, http or https. */
    private String url;

    /** Time between the end of one request and the next. */
    private Duration refreshInterval = Duration.ofSeconds(60);

    /** Time one request may take. Default: the refresh interval, at most 30s. */
    private Duration timeout;

    /** Extra request headers, such as Authorization; their values are never logged. */
    private Map<String, String> headers = new LinkedHashMap<>();

    /** No URL yet: binding sets it. */
    public HttpSd() {}

    /**
     * The endpoint.
     *
     * @return the URL as written
     */
    public String getUrl() {
      return url;
    }

    /**
     * Sets the endpoint.
     *
     * @param url http or https
     */
    public void setUrl(String url) {
      this.url = url;
    }

    /**
     * The refresh interval.
     *
     * @return the interval
     */
    public Duration getRefreshInterval() {
      return refreshInterval;
    }

    /**
     * Sets the refresh interval.
     *
     * @param refreshInterval positive
     */
    public void setRefreshInterval(Duration refreshInterval) {
      this.refreshInterval = refreshInterval;
    }

    /**
     * The request timeout.
     *
     * @return the timeout, or null for the default
     */
    public Duration getTimeout() {
      return timeout;
    }

    /**
     * Sets the request timeout.
     *
     * @param timeout positive
     */
    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }

    /**
     * The extra headers.
     *
     * @return the map, which binding fills
     */
    public Map<String, String> getHeaders() {
      return headers;
    }

    /**
     * Sets the extra headers.
     *
     * @param headers name to value
     */
    public void setHeaders(Map<String, String> headers) {
      this.headers = headers;
    }
  }

  /** {@code infermetrics.kubernetes}: targets from the Kubernetes API, in-cluster config or kubeconfig. */
  public static class Kubernetes {
    /**
     * Running pods, watched: one spec each, as the CLI's --kubernetes-pods, for example
     * namespace=serving,selector=app=vllm,port=metrics (options: namespace, selector, port, path, scheme, source,
     * name=pod|address, job, resync).
     */
    private List<String> pods = new ArrayList<>();

    /**
     * Ready endpoints of services' EndpointSlices: one spec each, as the CLI's --kubernetes-endpointslices, for
     * example namespace=serving,service=vllm,port=http.
     */
    private List<String> endpointSlices = new ArrayList<>();

    /** No specs. */
    public Kubernetes() {}

    /**
     * The pod specs.
     *
     * @return the specs
     */
    public List<String> getPods() {
      return pods;
    }

    /**
     * Sets the pod specs.
     *
     * @param pods the specs
     */
    public void setPods(List<String> pods) {
      this.pods = pods;
    }

    /**
     * The EndpointSlice specs.
     *
     * @return the specs
     */
    public List<String> getEndpointSlices() {
      return endpointSlices;
    }

    /**
     * Sets the EndpointSlice specs.
     *
     * @param endpointSlices the specs
     */
    public void setEndpointSlices(List<String> endpointSlices) {
      this.endpointSlices = endpointSlices;
    }
  }

  /** {@code infermetrics.emf}: CloudWatch Embedded Metric Format. */
  public static class Emf {
    /**
     * Where events go: stdout, tcp://HOST:PORT or udp://HOST:PORT (the CloudWatch agent), or a file path, appended
     * to. Unset: no EMF, unless the application has an EmfSink bean.
     */
    private String sink;

    /** The CloudWatch namespace of the metrics. */
    private String namespace = "infermetrics";

    /** Dimensions written in every event and added to every dimension set, such as cluster: prod. */
    private Map<String, String> dimensions = new LinkedHashMap<>();

    /**
     * Whether each target is a dimension (its own CloudWatch metrics, each billed) or only a property, which Logs
     * Insights can still split by.
     */
    private boolean targetDimension = true;

    /** No sink, namespace infermetrics. */
    public Emf() {}

    /**
     * The sink spec.
     *
     * @return the spec, or null
     */
    public String getSink() {
      return sink;
    }

    /**
     * Sets the sink spec.
     *
     * @param sink stdout, tcp://HOST:PORT, udp://HOST:PORT or a file path
     */
    public void setSink(String sink) {
      this.sink = sink;
    }

    /**
     * The namespace.
     *
     * @return the namespace
     */
    public String getNamespace() {
      return namespace;
    }

    /**
     * Sets the namespace.
     *
     * @param namespace a CloudWatch namespace
     */
    public void setNamespace(String namespace) {
      this.namespace = namespace;
    }

    /**
     * The default dimensions.
     *
     * @return the map, which binding fills
     */
    public Map<String, String> getDimensions() {
      return dimensions;
    }

    /**
     * Sets the default dimensions.
     *
     * @param dimensions key to value
     */
    public void setDimensions(Map<String, String> dimensions) {
      this.dimensions = dimensions;
    }

    /**
     * Whether the target is a dimension.
     *
     * @return true by default
     */
    public boolean isTargetDimension() {
      return targetDimension;
    }

    /**
     * Sets whether the target is a dimension.
     *
     * @param targetDimension false to keep it a property
     */
    public void setTargetDimension(boolean targetDimension) {
      this.targetDimension = targetDimension;
    }
  }

  /** {@code infermetrics.remote-write}: Prometheus remote write 1.0. */
  public static class RemoteWrite {
    /**
     * The receiver, for example http://prometheus:9090/api/v1/write. Unset: no remote write, unless the application
     * has a RemoteWriteSink bean.
     */
    private String url;

    /** Extra headers on every request, such as Authorization or X-Scope-OrgID; their values are never logged. */
    private Map<String, String> headers = new LinkedHashMap<>();

    /** Labels on every series that does not have them already, such as cluster: prod. */
    private Map<String, String> externalLabels = new LinkedHashMap<>();

    /** No URL. */
    public RemoteWrite() {}

    /**
     * The receiver.
     *
     * @return the URL as written, or null
     */
    public String getUrl() {
      return url;
    }

    /**
     * Sets the receiver.
     *
     * @param url http or https
     */
    public void setUrl(String url) {
      this.url = url;
    }

    /**
     * The extra headers.
     *
     * @return the map, which binding fills
     */
    public Map<String, String> getHeaders() {
      return headers;
    }

    /**
     * Sets the extra headers.
     *
     * @param headers name to value
     */
    public void setHeaders(Map<String, String> headers) {
      this.headers = headers;
    }

    /**
     * The external labels.
     *
     * @return the map, which binding fills
     */
    public Map<String, String> getExternalLabels() {
      return externalLabels;
    }

    /**
     * Sets the external labels.
     *
     * @param externalLabels name to value
     */
    public void setExternalLabels(Map<String, String> externalLabels) {
      this.externalLabels = externalLabels;
    }
  }
}
