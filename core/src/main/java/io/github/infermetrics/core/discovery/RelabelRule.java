package io.github.infermetrics.core.discovery;

import io.github.infermetrics.core.discovery.Trees.Format;
import io.github.infermetrics.core.discovery.Trees.Tree;
import io.github.infermetrics.core.internal.json.JsonPath;
import io.github.infermetrics.core.internal.json.JsonValue;
import io.github.infermetrics.core.internal.json.JsonValue.JsonArray;
import io.github.infermetrics.core.internal.json.JsonValue.JsonNull;
import io.github.infermetrics.core.internal.json.JsonValue.JsonNumber;
import io.github.infermetrics.core.internal.json.JsonValue.JsonObject;
import io.github.infermetrics.core.internal.json.JsonValue.JsonString;
import io.github.infermetrics.core.internal.json.JsonValue.Member;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;

/**
 * One Prometheus relabelling rule ({@code relabel_configs}), applied to discovered targets' labels before they
 * become {@link DiscoveredTarget}s.
 *
 * <pre>{@code
 * // keep only vLLM and SGLang pods, and name each target after its pod
 * List<RelabelRule> rules = List.of(
 *     RelabelRule.builder(RelabelRule.Action.KEEP)
 *         .sourceLabels("__meta_kubernetes_pod_label_app").regex("vllm|sglang").build(),
 *     RelabelRule.builder(RelabelRule.Action.REPLACE)
 *         .sourceLabels("__meta_kubernetes_pod_name").targetLabel("infermetrics_name").build());
 * // or read them from the relabel_configs part of a Prometheus configuration, in YAML or JSON:
 * List<RelabelRule> same = RelabelRule.read(Path.of("relabel.yml"));
 * }</pre>
 *
 * <p><b>Actions.</b> All of Prometheus's: {@code replace} (the default), {@code keep}, {@code drop},
 * {@code keepequal}, {@code dropequal}, {@code hashmod}, {@code labelmap}, {@code labeldrop}, {@code labelkeep},
 * {@code lowercase}, {@code uppercase}, with Prometheus's defaults (separator {@code ;}, regex {@code (.*)},
 * replacement {@code $1}) and its configuration checks (for example {@code labeldrop} takes only a regex).
 * Semantics follow Prometheus: source label values joined by the separator, the regex anchored at both ends,
 * {@code replace} doing nothing when the regex does not match and removing the target label when the replacement
 * expands to the empty string, an empty label value meaning the label is absent, {@code $1}/{@code ${name}}
 * expanded as Go does (so {@code $1x} is the group named {@code 1x}: write {@code ${1}x}).
 *
 * <p><b>Regular expressions.</b> Prometheus uses RE2; these rules run on {@code java.util.regex}. RE2 syntax is
 * translated where Java means something else ({@code (?P<name>)}, POSIX classes {@code [[:alpha:]]}, {@code [}
 * and {@code &} inside classes, {@code \v}) and refused where a pattern would not work in Prometheus or would
 * silently mean something else in Java (lookaround, backreferences, possessive quantifiers, the {@code U} flag,
 * Java-only escapes). Group names may hold only letters and digits. Remaining differences, rare in label values:
 * Java's {@code \s} also matches the vertical tab, {@code $} also matches before a final {@code \n}, {@code \b}
 * uses Java's word characters.
 *
 * <p>Immutable and thread-safe.
 */
public final class RelabelRule {
  /** What a rule does. */
  public enum Action {
    /** Sets {@code target_label} to the expanded {@code replacement} when the regex matches. */
    REPLACE,
    /** Drops the target unless the regex matches. */
    KEEP,
    /** Drops the target when the regex matches. */
    DROP,
    /** Drops the target unless the joined source values equal {@code target_label}'s value. */
    KEEPEQUAL,
    /** Drops the target when the joined source values equal {@code target_label}'s value. */
    DROPEQUAL,
    /** Sets {@code target_label} to the MD5 of the joined source values modulo {@code modulus} (sharding). */
    HASHMOD,
    /** Copies every label whose name matches the regex to the name the replacement expands to. */
    LABELMAP,
    /** Removes every label whose name matches the regex. */
    LABELDROP,
    /** Removes every label whose name does not match the regex. */
    LABELKEEP,
    /** Sets {@code target_label} to the joined source values in lower case. */
    LOWERCASE,
    /** Sets {@code target_label} to the joined source values in upper case. */
    UPPERCASE;

    /**
     * The name in Prometheus configuration.
     *
     * @return for example {@code labelmap}
     */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * An action from its configuration name, in any case.
     *
     * @param name for example {@code keep}
     * @return the action
     * @throws IllegalArgumentException for an unknown name
     */
    public static Action of(String name) {
      for (Action a : values()) {
        if (a.configName().equals(name.toLowerCase(Locale.ROOT))) {
          return a;
        }
      }
      throw new IllegalArgumentException("unknown relabel action \"" + name + "\"");
    }
  }

  static final String DEFAULT_SEPARATOR = ";";
  static final String DEFAULT_REGEX = "(.*)";
  static final String DEFAULT_REPLACEMENT = "$1";

  private final Action action;
  private final List<String> sourceLabels;
  private final String separator;
  private final RelabelRegex regex;
  private final long modulus;
  private final String targetLabel;
  private final String replacement;

  private RelabelRule(Builder b) {
    this.action = b.action;
    this.sourceLabels = List.copyOf(b.sourceLabels);
    this.separator = b.separator;
    this.regex = RelabelRegex.compile(b.regex);
    this.modulus = b.modulus;
    this.targetLabel = b.targetLabel;
    this.replacement = b.replacement;
  }

  /**
   * A builder with Prometheus's defaults.
   *
   * @param action what the rule does
   * @return a new builder
   */
  public static Builder builder(Action action) {
    return new Builder(action);
  }

  /**
   * Reads rules from a file in Prometheus's {@code relabel_configs} format: a list of rules, or a mapping whose
   * {@code relabel_configs} key holds the list; JSON ({@code .json}) or YAML ({@code .yml}, {@code .yaml}).
   *
   * @param file the file
   * @return the rules, in order
   * @throws DiscoveryException naming file:line:column and the rule that is not valid
   * @throws UncheckedIOException when the file cannot be read
   */
  public static List<RelabelRule> read(Path file) {
    Format format = Format.ofFileName(file.getFileName().toString());
    if (format == null) {
      throw new DiscoveryException(file + ": relabel rules must be in a .json, .yml or .yaml file");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
    return parse(file.toString(), bytes, format);
  }

  static List<RelabelRule> parse(String name, byte[] bytes, Format format) {
    Tree tree = Trees.read(name, bytes, format);
    JsonPath path = new JsonPath();
    JsonValue root = tree.root();
    if (root instanceof JsonObject) {
      JsonValue list = null;
      for (Member m : ((JsonObject) root).members()) {
        if (!m.key().equals("relabel_configs")) {
          throw tree.error(m.keyOffset(), path.toString(), "unknown key \"" + m.key() + "\" (expected a list of rules,"
              + " or relabel_configs: holding one)");
        }
        list = m.value();
      }
      path.push("relabel_configs");
      root = list == null ? new JsonNull(root.offset()) : list;
    }
    if (root instanceof JsonNull) {
      return List.of();
    }
    if (!(root instanceof JsonArray)) {
      throw tree.error(root, path.toString(), "expected a list of relabel rules, found " + Trees.kind(root, format));
    }
    List<RelabelRule> rules = new ArrayList<>();
    List<JsonValue> items = ((JsonArray) root).items();
    for (int i = 0; i < items.size(); i++) {
      path.push(i);
      rules.add(rule(tree, items.get(i), path, format));
      path.pop();
    }
    return List.copyOf(rules);
  }

  private static RelabelRule rule(Tree tree, JsonValue v, JsonPath path, Format format) {
    if (!(v instanceof JsonObject)) {
      throw tree.error(v, path.toString(), "expected a relabel rule (" + (format == Format.YAML ? "a mapping"
          : "an object") + "), found " + Trees.kind(v, format));
    }
    Builder b = new Builder(Action.REPLACE);
    for (Member m : ((JsonObject) v).members()) {
      JsonValue value = m.value();
      String at = path.with(m.key());
      switch (m.key()) {
        case "source_labels":
          if (value instanceof JsonNull) {
            break;
          }
          if (!(value instanceof JsonArray)) {
            throw tree.error(value, at, "expected a list of label names, found " + Trees.kind(value, format));
          }
          List<String> names = new ArrayList<>();
          List<JsonValue> items = ((JsonArray) value).items();
          for (int i = 0; i < items.size(); i++) {
            names.add(string(tree, items.get(i), path.with(m.key()) + "[" + i + "]", format));
          }
          b.sourceLabels(names);
          break;
        case "separator":
          b.separator(string(tree, value, at, format));
          break;
        case "regex":
          b.regex(string(tree, value, at, format));
          break;
        case "modulus":
          String text = value instanceof JsonNumber ? ((JsonNumber) value).text() : string(tree, value, at, format);
          try {
            b.modulus(Long.parseUnsignedLong(text));
          } catch (NumberFormatException e) {
            throw tree.error(value, at, "expected a whole number, found \"" + text + "\"");
          }
          break;
        case "target_label":
          b.targetLabel(string(tree, value, at, format));
          break;
        case "replacement":
          b.replacement(string(tree, value, at, format));
          break;
        case "action":
          try {
            b.action = Action.of(string(tree, value, at, format));
          } catch (IllegalArgumentException e) {
            throw tree.error(value, at, e.getMessage());
          }
          break;
        default:
          throw tree.error(m.keyOffset(), path.toString(), "unknown field \"" + m.key() + "\" (a relabel rule has"
              + " source_labels, separator, regex, modulus, target_label, replacement, action)");
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw tree.error(v, path.toString(), e.getMessage());
    }
  }

  private static String string(Tree tree, JsonValue v, String at, Format format) {
    if (v instanceof JsonString) {
      return ((JsonString) v).value();
    }
    if (v instanceof JsonNull) {
      return "";
    }
    throw tree.error(v, at, "expected a string, found " + Trees.kind(v, format));
  }

  /**
   * What the rule does.
   *
   * @return the action
   */
  public Action action() {
    return action;
  }

  /**
   * The labels whose values are joined and matched.
   *
   * @return the label names
   */
  public List<String> sourceLabels() {
    return sourceLabels;
  }

  /**
   * What joins the source labels' values.
   *
   * @return the separator; default {@code ;}
   */
  public String separator() {
    return separator;
  }

  /**
   * The regular expression, as written (unanchored).
   *
   * @return the expression; default {@code (.*)}
   */
  public String regex() {
    return regex.source();
  }

  /**
   * The modulus of {@code hashmod}.
   *
   * @return the modulus; 0 when unset
   */
  public long modulus() {
    return modulus;
  }

  /**
   * The label written by {@code replace}, {@code hashmod}, {@code lowercase}, {@code uppercase}, or compared by
   * {@code keepequal}/{@code dropequal}.
   *
   * @return the label name, possibly with {@code $1}-style references for {@code replace}; empty when unset
   */
  public String targetLabel() {
    return targetLabel;
  }

  /**
   * What {@code replace} writes and {@code labelmap} renames to.
   *
   * @return the template; default {@code $1}
   */
  public String replacement() {
    return replacement;
  }

  /**
   * Applies the rule to a label set, in place: an empty value removes a label.
   *
   * @param labels the labels, changed by the rule
   * @return false when the rule drops the target
   */
  boolean apply(Map<String, String> labels) {
    String value = joinedSourceValues(labels);
    switch (action) {
      case KEEP:
        return regex.matchWhole(value) != null;
      case DROP:
        return regex.matchWhole(value) == null;
      case KEEPEQUAL:
        return labels.getOrDefault(targetLabel, "").equals(value);
      case DROPEQUAL:
        return !labels.getOrDefault(targetLabel, "").equals(value);
      case REPLACE:
        Matcher m = regex.matchWhole(value);
        if (m == null) {
          return true;
        }
        String target = regex.expand(targetLabel, m);
        if (target.isEmpty()) {
          return true; // Prometheus skips an invalid target label name
        }
        set(labels, target, regex.expand(replacement, m));
        return true;
      case LOWERCASE:
        set(labels, targetLabel, value.toLowerCase(Locale.ROOT));
        return true;
      case UPPERCASE:
        set(labels, targetLabel, value.toUpperCase(Locale.ROOT));
        return true;
      case HASHMOD:
        set(labels, targetLabel, Long.toUnsignedString(hashmod(value, modulus)));
        return true;
      case LABELMAP:
        for (Map.Entry<String, String> e : List.copyOf(labels.entrySet())) {
          Matcher lm = regex.matchWhole(e.getKey());
          if (lm != null) {
            String to = regex.expand(replacement, lm);
            if (!to.isEmpty()) {
              set(labels, to, e.getValue());
            }
          }
        }
        return true;
      case LABELDROP:
        labels.keySet().removeIf(name -> regex.matchWhole(name) != null);
        return true;
      case LABELKEEP:
        labels.keySet().removeIf(name -> regex.matchWhole(name) == null);
        return true;
      default:
        throw new AssertionError(action);
    }
  }

  private String joinedSourceValues(Map<String, String> labels) {
    if (sourceLabels.size() == 1) {
      return labels.getOrDefault(sourceLabels.get(0), "");
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < sourceLabels.size(); i++) {
      if (i > 0) {
        sb.append(separator);
      }
      sb.append(labels.getOrDefault(sourceLabels.get(i), ""));
    }
    return sb.toString();
  }

  private static void set(Map<String, String> labels, String name, String value) {
    if (value.isEmpty()) {
      labels.remove(name);
    } else {
      labels.put(name, value);
    }
  }

  /**
   * Prometheus's {@code hashmod} of a value: the last 8 bytes of the MD5 of its UTF-8 bytes, big-endian, as an
   * unsigned integer, modulo {@code modulus}. What action {@code hashmod} writes, and what
   * {@link io.github.infermetrics.core.pipeline.Shard} splits a fleet by.
   *
   * @param value the value hashed
   * @param modulus the modulus, read as unsigned; not 0
   * @return from 0 to {@code modulus - 1}, unsigned
   */
  public static long hashmod(String value, long modulus) {
    try {
      byte[] d = MessageDigest.getInstance("MD5").digest(value.getBytes(StandardCharsets.UTF_8));
      return Long.remainderUnsigned(ByteBuffer.wrap(d, 8, 8).getLong(), modulus);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required of every Java platform", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof RelabelRule)) {
      return false;
    }
    RelabelRule r = (RelabelRule) o;
    return action == r.action && sourceLabels.equals(r.sourceLabels) && separator.equals(r.separator)
        && regex().equals(r.regex()) && modulus == r.modulus && targetLabel.equals(r.targetLabel)
        && replacement.equals(r.replacement);
  }

  @Override
  public int hashCode() {
    return Objects.hash(action, sourceLabels, separator, regex(), modulus, targetLabel, replacement);
  }

  /**
   * The rule in Prometheus's YAML flow syntax, with the fields that differ from the defaults.
   *
   * @return for example {@code {action: keep, source_labels: [app], regex: "vllm|sglang"}}
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{action: ").append(action.configName());
    if (!sourceLabels.isEmpty()) {
      sb.append(", source_labels: [").append(String.join(", ", sourceLabels)).append(']');
    }
    if (!separator.equals(DEFAULT_SEPARATOR)) {
      sb.append(", separator: \"").append(separator).append('"');
    }
    if (!regex().equals(DEFAULT_REGEX)) {
      sb.append(", regex: \"").append(regex()).append('"');
    }
    if (modulus != 0) {
      sb.append(", modulus: ").append(Long.toUnsignedString(modulus));
    }
    if (!targetLabel.isEmpty()) {
      sb.append(", target_label: ").append(targetLabel);
    }
    if (!replacement.equals(DEFAULT_REPLACEMENT)) {
      sb.append(", replacement: \"").append(replacement).append('"');
    }
    return sb.append('}').toString();
  }

  /** Builds a {@link RelabelRule}; {@link #build()} applies Prometheus's configuration checks. */
  public static final class Builder {
    private Action action;
    private List<String> sourceLabels = List.of();
    private String separator = DEFAULT_SEPARATOR;
    private String regex = DEFAULT_REGEX;
    private long modulus;
    private String targetLabel = "";
    private String replacement = DEFAULT_REPLACEMENT;

    private Builder(Action action) {
      this.action = Objects.requireNonNull(action, "action");
    }

    /**
     * The labels whose values are joined and matched.
     *
     * @param names label names
     * @return this
     */
    public Builder sourceLabels(String... names) {
      return sourceLabels(List.of(names));
    }

    /**
     * The labels whose values are joined and matched.
     *
     * @param names label names
     * @return this
     */
    public Builder sourceLabels(List<String> names) {
      for (String name : names) {
        if (Objects.requireNonNull(name, "source label").isEmpty()) {
          throw new IllegalArgumentException("source_labels holds an empty label name");
        }
      }
      this.sourceLabels = List.copyOf(names);
      return this;
    }

    /**
     * What joins the source labels' values.
     *
     * @param separator default {@code ;}
     * @return this
     */
    public Builder separator(String separator) {
      this.separator = Objects.requireNonNull(separator, "separator");
      return this;
    }

    /**
     * The regular expression (RE2 syntax, see the class comment), anchored at both ends when applied.
     *
     * @param regex default {@code (.*)}
     * @return this
     */
    public Builder regex(String regex) {
      this.regex = Objects.requireNonNull(regex, "regex");
      return this;
    }

    /**
     * The modulus of {@code hashmod}.
     *
     * @param modulus positive
     * @return this
     */
    public Builder modulus(long modulus) {
      this.modulus = modulus;
      return this;
    }

    /**
     * The label written or compared.
     *
     * @param targetLabel a label name; for {@code replace} it may hold {@code $1}-style references
     * @return this
     */
    public Builder targetLabel(String targetLabel) {
      this.targetLabel = Objects.requireNonNull(targetLabel, "targetLabel");
      return this;
    }

    /**
     * What {@code replace} writes and {@code labelmap} renames to.
     *
     * @param replacement a template with {@code $1}, {@code ${name}}, {@code $$}; default {@code $1}
     * @return this
     */
    public Builder replacement(String replacement) {
      this.replacement = Objects.requireNonNull(replacement, "replacement");
      return this;
    }

    /**
     * Checks the rule as Prometheus checks its configuration, and compiles the regex.
     *
     * @return the rule
     * @throws IllegalArgumentException naming the field that is missing or not allowed for the action
     */
    public RelabelRule build() {
      String act = action.configName();
      if (action == Action.HASHMOD && modulus == 0) {
        throw new IllegalArgumentException("relabel configuration for hashmod requires non-zero modulus");
      }
      boolean needsTarget = action == Action.REPLACE || action == Action.HASHMOD || action == Action.LOWERCASE
          || action == Action.UPPERCASE || action == Action.KEEPEQUAL || action == Action.DROPEQUAL;
      if (needsTarget && targetLabel.isEmpty()) {
        throw new IllegalArgumentException("relabel configuration for " + act + " action requires 'target_label'"
            + " value");
      }
      boolean lowerUpperEqual = action == Action.LOWERCASE || action == Action.UPPERCASE
          || action == Action.KEEPEQUAL || action == Action.DROPEQUAL;
      if (lowerUpperEqual && !replacement.equals(DEFAULT_REPLACEMENT)) {
        throw new IllegalArgumentException("'replacement' can not be set for " + act + " action");
      }
      if ((action == Action.KEEPEQUAL || action == Action.DROPEQUAL) && (!regex.equals(DEFAULT_REGEX)
          || modulus != 0 || !separator.equals(DEFAULT_SEPARATOR))) {
        throw new IllegalArgumentException(act + " action requires only 'source_labels' and 'target_label', and no"
            + " other fields");
      }
      if ((action == Action.LABELDROP || action == Action.LABELKEEP) && (!sourceLabels.isEmpty()
          || !targetLabel.isEmpty() || modulus != 0 || !separator.equals(DEFAULT_SEPARATOR)
          || !replacement.equals(DEFAULT_REPLACEMENT))) {
        throw new IllegalArgumentException(act + " action requires only 'regex', and no other fields");
      }
      if (action == Action.LABELMAP && replacement.isEmpty()) {
        throw new IllegalArgumentException("\"\" is invalid 'replacement' for labelmap action");
      }
      return new RelabelRule(this);
    }
  }
}
