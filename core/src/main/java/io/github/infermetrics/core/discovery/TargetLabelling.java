package io.github.infermetrics.core.discovery;

import io.github.infermetrics.core.snapshot.Labels;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns discovered label sets into {@link DiscoveredTarget}s the way Prometheus's scrape configuration does:
 * defaults, relabelling, then the URL and the final labels.
 *
 * <pre>{@code
 * TargetLabelling labelling = TargetLabelling.builder()
 *     .job("vllm")
 *     .relabel(RelabelRule.builder(RelabelRule.Action.KEEP).sourceLabels("env").regex("prod").build())
 *     .build();
 * ResolvedTargets r = labelling.resolve(groups);
 * }</pre>
 *
 * <p>For each target of each {@link TargetGroup}:
 * <ol>
 *   <li>its labels, then the group's labels where the target has none of that name (an empty value is no label);
 *   <li>defaults where still unset: {@code job} ({@link Builder#job}, default {@value #DEFAULT_JOB}),
 *       {@code __scheme__} ({@code http}), {@code __metrics_path__} ({@code /metrics}), {@code __param_<name>} for
 *       each {@link Builder#param};
 *   <li>the {@link RelabelRule}s in order; a rule that drops the target ends here (counted in
 *       {@link ResolvedTargets#dropped()});
 *   <li>checks: {@code __address__} is set and is a {@code host[:port]} without {@code /}, {@code __scheme__} is
 *       {@code http} or {@code https}; a target that fails is left out with one line in
 *       {@link ResolvedTargets#errors()};
 *   <li>the URL: {@code __scheme__://__address____metrics_path__?params}, the query from the {@code __param_*}
 *       labels (sorted, as Go's {@code url.Values.Encode} writes it);
 *   <li>{@code instance} defaults to {@code __address__}, as in Prometheus 3 (no default port is added);
 *   <li>the control labels are taken out: {@value #NAME_LABEL} (the name; default: the address),
 *       {@value #SOURCE_LABEL} (the source, such as {@code vllm}; default: detect it), {@value #POD_LABEL}
 *       ({@code namespace/name}; default: {@code __meta_kubernetes_namespace}/{@code __meta_kubernetes_pod_name}
 *       when discovery set them, as the Kubernetes pod discovery does);
 *   <li>every {@code __}-prefixed label ({@code __meta_*}, {@code __address__}, ...) is removed; what remains are
 *       the target labels.
 * </ol>
 *
 * <p>Targets with equal URL, labels and control labels are one target. Two different targets with the same name
 * cannot both be kept: the first (in group order) stays, the other is an error that says to set
 * {@value #NAME_LABEL}.
 *
 * <p>Immutable and thread-safe.
 */
public final class TargetLabelling {
  /** The label that names a target; taken out of the target labels. */
  public static final String NAME_LABEL = "infermetrics_name";
  /** The label that names a target's source ({@code vllm}, {@code triton}, ...); taken out of the target labels. */
  public static final String SOURCE_LABEL = "infermetrics_source";
  /** The label that names a target's pod as {@code namespace/name}; taken out of the target labels. */
  public static final String POD_LABEL = "infermetrics_pod";
  /** The {@code job} label's default. */
  public static final String DEFAULT_JOB = "infermetrics";

  static final String ADDRESS = "__address__";
  static final String SCHEME = "__scheme__";
  static final String METRICS_PATH = "__metrics_path__";
  static final String PARAM_PREFIX = "__param_";
  static final String META_PREFIX = "__meta_";

  private static final TargetLabelling DEFAULTS = builder().build();

  private final String job;
  private final String scheme;
  private final String metricsPath;
  private final Map<String, String> params;
  private final List<RelabelRule> rules;

  private TargetLabelling(Builder b) {
    this.job = b.job;
    this.scheme = b.scheme;
    this.metricsPath = b.metricsPath;
    this.params = Map.copyOf(b.params);
    this.rules = List.copyOf(b.rules);
  }

  /**
   * Prometheus's defaults and no relabelling.
   *
   * @return the shared instance
   */
  public static TargetLabelling defaults() {
    return DEFAULTS;
  }

  /**
   * A builder with Prometheus's defaults (and job {@value #DEFAULT_JOB}).
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The {@code job} label's default.
   *
   * @return the job name
   */
  public String job() {
    return job;
  }

  /**
   * The {@code __scheme__} default.
   *
   * @return {@code http} or {@code https}
   */
  public String scheme() {
    return scheme;
  }

  /**
   * The {@code __metrics_path__} default.
   *
   * @return the path
   */
  public String metricsPath() {
    return metricsPath;
  }

  /**
   * The default URL parameters ({@code __param_<name>}).
   *
   * @return name to value
   */
  public Map<String, String> params() {
    return params;
  }

  /**
   * The relabelling rules, in order.
   *
   * @return the rules
   */
  public List<RelabelRule> rules() {
    return rules;
  }

  /**
   * Resolves groups into targets.
   *
   * @param groups the groups, in the order that decides which of two same-named targets stays
   * @return the targets, the dropped count and one line per rejected target
   */
  public ResolvedTargets resolve(List<TargetGroup> groups) {
    Map<String, DiscoveredTarget> byName = new LinkedHashMap<>();
    Map<String, String> nameOrigin = new TreeMap<>();
    List<String> errors = new ArrayList<>();
    int dropped = 0;
    for (TargetGroup g : groups) {
      List<Labels> targets = g.targets();
      for (int i = 0; i < targets.size(); i++) {
        String origin = g.source() + ": target " + i;
        Outcome o = resolveOne(targets.get(i), g.labels());
        if (o.dropped) {
          dropped++;
        } else if (o.error != null) {
          errors.add(origin + ": " + o.error);
        } else {
          DiscoveredTarget t = o.target;
          DiscoveredTarget first = byName.putIfAbsent(t.name(), t);
          if (first == null) {
            nameOrigin.put(t.name(), origin);
          } else if (!first.equals(t)) {
            errors.add(origin + ": another target is already named \"" + t.name() + "\" (" + nameOrigin.get(t.name())
                + ", " + first.url() + " " + first.labels() + "); set the label " + NAME_LABEL
                + " to tell them apart");
          }
        }
      }
    }
    List<DiscoveredTarget> sorted = new ArrayList<>(byName.values());
    sorted.sort(Comparator.comparing(DiscoveredTarget::name));
    return new ResolvedTargets(sorted, dropped, errors);
  }

  /** One target, or why not. */
  private static final class Outcome {
    final DiscoveredTarget target;
    final boolean dropped;
    final String error;

    private Outcome(DiscoveredTarget target, boolean dropped, String error) {
      this.target = target;
      this.dropped = dropped;
      this.error = error;
    }
  }

  private Outcome resolveOne(Labels targetLabels, Labels groupLabels) {
    TreeMap<String, String> lb = new TreeMap<>();
    putNonEmpty(lb, targetLabels);
    for (int i = 0; i < groupLabels.size(); i++) {
      if (!groupLabels.value(i).isEmpty()) {
        lb.putIfAbsent(groupLabels.name(i), groupLabels.value(i));
      }
    }
    lb.putIfAbsent("job", job);
    lb.putIfAbsent(SCHEME, scheme);
    lb.putIfAbsent(METRICS_PATH, metricsPath);
    for (Map.Entry<String, String> p : params.entrySet()) {
      lb.putIfAbsent(PARAM_PREFIX + p.getKey(), p.getValue());
    }
    for (RelabelRule rule : rules) {
      if (!rule.apply(lb)) {
        return new Outcome(null, true, null);
      }
    }
    String address = lb.get(ADDRESS);
    if (address == null) {
      return new Outcome(null, false, "no address (__address__ is empty)");
    }
    if (address.indexOf('/') >= 0) {
      return new Outcome(null, false, "\"" + address + "\" is not a valid hostname (__address__)");
    }
    String sch = lb.getOrDefault(SCHEME, "");
    if (!sch.equals("http") && !sch.equals("https")) {
      return new Outcome(null, false, "__scheme__ \"" + sch + "\" is not http or https");
    }
    URI url;
    try {
      url = url(sch, address, lb.getOrDefault(METRICS_PATH, ""), lb);
    } catch (URISyntaxException e) {
      return new Outcome(null, false, "\"" + address + "\" is not a valid host[:port] (__address__): "
          + e.getReason());
    }
    if (url.getHost() == null) {
      return new Outcome(null, false, "\"" + address + "\" is not a valid host[:port] (__address__)");
    }
    if (url.getRawUserInfo() != null) {
      return new Outcome(null, false, "__address__ must not carry user info (\"…@" + url.getHost() + "\")");
    }
    String pod = lb.remove(POD_LABEL);
    if (pod == null && lb.containsKey("__meta_kubernetes_namespace") && lb.containsKey("__meta_kubernetes_pod_name")) {
      pod = lb.get("__meta_kubernetes_namespace") + "/" + lb.get("__meta_kubernetes_pod_name");
    }
    lb.putIfAbsent("instance", address);
    String name = lb.remove(NAME_LABEL);
    String source = lb.remove(SOURCE_LABEL);
    List<String> kept = new ArrayList<>();
    for (Map.Entry<String, String> e : lb.entrySet()) {
      if (!e.getKey().startsWith("__")) {
        kept.add(e.getKey());
        kept.add(e.getValue());
      }
    }
    try {
      return new Outcome(new DiscoveredTarget(url, name == null ? address : name, Labels.of(kept.toArray(new String[0])),
          Optional.ofNullable(source), Optional.ofNullable(pod)), false, null);
    } catch (IllegalArgumentException e) {
      return new Outcome(null, false, e.getMessage() + (pod != null ? " (" + POD_LABEL + ")" : ""));
    }
  }

  private static void putNonEmpty(Map<String, String> lb, Labels labels) {
    for (int i = 0; i < labels.size(); i++) {
      if (!labels.value(i).isEmpty()) {
        lb.put(labels.name(i), labels.value(i));
      }
    }
  }

  /** The URL as Prometheus builds it: {@code url.URL{Scheme, Host, Path, RawQuery: params.Encode()}}. */
  private static URI url(String scheme, String address, String path, Map<String, String> labels)
      throws URISyntaxException {
    StringBuilder sb = new StringBuilder(scheme).append("://").append(address);
    if (!path.startsWith("/")) {
      sb.append('/');
    }
    escape(sb, path, true);
    boolean first = true;
    for (Map.Entry<String, String> e : labels.entrySet()) { // sorted by name, so by parameter name
      if (e.getKey().startsWith(PARAM_PREFIX)) {
        sb.append(first ? '?' : '&');
        first = false;
        escape(sb, e.getKey().substring(PARAM_PREFIX.length()), false);
        sb.append('=');
        escape(sb, e.getValue(), false);
      }
    }
    URI uri = new URI(sb.toString());
    return uri.parseServerAuthority();
  }

  /** Go's url escaping: a path keeps {@code /:@&=+$,;}, a query component only the unreserved characters. */
  private static void escape(StringBuilder sb, String s, boolean path) {
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
          || c == '_' || c == '.' || c == '~';
      if (unreserved || (path && "/:@&=+$,;".indexOf(c) >= 0)) {
        sb.append(c);
      } else if (!path && c == ' ') {
        sb.append('+');
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
  }

  /** Builds a {@link TargetLabelling}. */
  public static final class Builder {
    private String job = DEFAULT_JOB;
    private String scheme = "http";
    private String metricsPath = "/metrics";
    private final Map<String, String> params = new TreeMap<>();
    private final List<RelabelRule> rules = new ArrayList<>();

    private Builder() {}

    /**
     * The {@code job} label of targets that have none.
     *
     * @param job not empty; default {@value TargetLabelling#DEFAULT_JOB}
     * @return this
     */
    public Builder job(String job) {
      this.job = nonEmpty(job, "job");
      return this;
    }

    /**
     * The scheme of targets without {@code __scheme__}.
     *
     * @param scheme {@code http} (default) or {@code https}
     * @return this
     */
    public Builder scheme(String scheme) {
      if (!"http".equals(scheme) && !"https".equals(scheme)) {
        throw new IllegalArgumentException("scheme must be http or https: " + scheme);
      }
      this.scheme = scheme;
      return this;
    }

    /**
     * The path of targets without {@code __metrics_path__}.
     *
     * @param metricsPath starting with {@code /}; default {@code /metrics}
     * @return this
     */
    public Builder metricsPath(String metricsPath) {
      if (!nonEmpty(metricsPath, "metricsPath").startsWith("/")) {
        throw new IllegalArgumentException("metricsPath must start with /: " + metricsPath);
      }
      this.metricsPath = metricsPath;
      return this;
    }

    /**
     * A URL parameter for targets without {@code __param_<name>}.
     *
     * @param name the parameter name
     * @param value its value
     * @return this
     */
    public Builder param(String name, String value) {
      params.put(nonEmpty(name, "param name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Adds relabelling rules, applied in the order added.
     *
     * @param rules the rules
     * @return this
     */
    public Builder relabel(RelabelRule... rules) {
      return relabel(List.of(rules));
    }

    /**
     * Adds relabelling rules, applied in the order added.
     *
     * @param rules the rules
     * @return this
     */
    public Builder relabel(List<RelabelRule> rules) {
      this.rules.addAll(List.copyOf(rules));
      return this;
    }

    /**
     * The labelling.
     *
     * @return a new labelling
     */
    public TargetLabelling build() {
      return new TargetLabelling(this);
    }

    private static String nonEmpty(String s, String what) {
      if (Objects.requireNonNull(s, what).isEmpty()) {
        throw new IllegalArgumentException(what + " is empty");
      }
      return s;
    }
  }
}
