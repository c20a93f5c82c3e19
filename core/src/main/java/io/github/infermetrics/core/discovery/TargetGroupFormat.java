package io.github.infermetrics.core.discovery;

import io.github.infermetrics.core.discovery.Trees.Format;
import io.github.infermetrics.core.discovery.Trees.Tree;
import io.github.infermetrics.core.internal.json.JsonPath;
import io.github.infermetrics.core.internal.json.JsonValue;
import io.github.infermetrics.core.internal.json.JsonValue.JsonArray;
import io.github.infermetrics.core.internal.json.JsonValue.JsonNull;
import io.github.infermetrics.core.internal.json.JsonValue.JsonObject;
import io.github.infermetrics.core.internal.json.JsonValue.JsonString;
import io.github.infermetrics.core.internal.json.JsonValue.Member;
import io.github.infermetrics.core.snapshot.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The target-group list of Prometheus's {@code file_sd} and {@code http_sd}:
 * {@code [{"targets": ["host:port", ...], "labels": {"name": "value", ...}}, ...]}.
 *
 * <p>Read as Prometheus reads it: JSON through Go's {@code encoding/json} (unknown fields rejected, field names
 * matched case-insensitively, {@code null} for the list, a field or a label value meaning empty), YAML through
 * yaml.v2's strict mode (unknown fields and duplicate keys rejected, plain scalars such as {@code 8080} taken as
 * written). Stricter than Prometheus in two places, both errors that say so: a duplicate JSON key (Go keeps the
 * last silently) and a {@code null} target (Go reads an empty address and fails the target later).
 */
final class TargetGroupFormat {
  private TargetGroupFormat() {}

  /**
   * Reads a group list.
   *
   * @param name the file or URL, for messages and group sources
   * @param bytes the content
   * @param format JSON or YAML
   * @param metaLabel the label that records where the group came from ({@code __meta_filepath},
   *     {@code __meta_url})
   * @return the groups, sources {@code name:index}
   * @throws DiscoveryException naming name:line:column and the JSON path
   */
  static List<TargetGroup> read(String name, byte[] bytes, Format format, String metaLabel) {
    Tree tree = Trees.read(name, bytes, format);
    JsonValue root = tree.root();
    JsonPath path = new JsonPath();
    if (root instanceof JsonNull) {
      return List.of(); // Go reads null, and yaml.v2 an empty document, as no groups
    }
    if (!(root instanceof JsonArray)) {
      throw tree.error(root, path.toString(), "expected a list of target groups, found " + Trees.kind(root, format));
    }
    List<JsonValue> items = ((JsonArray) root).items();
    List<TargetGroup> groups = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      path.push(i);
      groups.add(group(tree, items.get(i), path, format, name + ":" + i, metaLabel, name));
      path.pop();
    }
    return groups;
  }

  private static TargetGroup group(Tree tree, JsonValue v, JsonPath path, Format format, String source,
      String metaLabel, String metaValue) {
    if (v instanceof JsonNull) {
      throw tree.error(v, path.toString(), "a target group is null");
    }
    if (!(v instanceof JsonObject)) {
      throw tree.error(v, path.toString(), "expected a target group (" + (format == Format.JSON ? "an object"
          : "a mapping") + " with targets and labels), found " + Trees.kind(v, format));
    }
    List<Labels> targets = List.of();
    List<String> labels = new ArrayList<>();
    boolean seenTargets = false;
    boolean seenLabels = false;
    for (Member m : ((JsonObject) v).members()) {
      // Go's encoding/json matches field names case-insensitively; yaml.v2 does not
      String field = format == Format.JSON ? m.key().toLowerCase(Locale.ROOT) : m.key();
      if (field.equals("targets")) {
        if (seenTargets) {
          throw tree.error(m.keyOffset(), path.toString(), "duplicate field \"" + m.key() + "\"");
        }
        seenTargets = true;
        path.push(m.key());
        targets = targets(tree, m.value(), path, format);
        path.pop();
      } else if (field.equals("labels")) {
        if (seenLabels) {
          throw tree.error(m.keyOffset(), path.toString(), "duplicate field \"" + m.key() + "\"");
        }
        seenLabels = true;
        path.push(m.key());
        labels(tree, m.value(), path, format, labels, metaLabel);
        path.pop();
      } else {
        throw tree.error(m.keyOffset(), path.toString(), "unknown field \"" + m.key() + "\" (a target group has"
            + " only targets and labels)");
      }
    }
    labels.add(metaLabel);
    labels.add(metaValue);
    return new TargetGroup(source, targets, Labels.of(labels.toArray(new String[0])));
  }

  private static List<Labels> targets(Tree tree, JsonValue v, JsonPath path, Format format) {
    if (v instanceof JsonNull) {
      return List.of();
    }
    if (!(v instanceof JsonArray)) {
      throw tree.error(v, path.toString(), "expected a list of \"host:port\" strings, found " + Trees.kind(v, format));
    }
    List<JsonValue> items = ((JsonArray) v).items();
    List<Labels> targets = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      JsonValue item = items.get(i);
      if (!(item instanceof JsonString)) {
        throw tree.error(item, path.with(i), "expected a \"host:port\" string, found " + Trees.kind(item, format));
      }
      targets.add(Labels.of(TargetLabelling.ADDRESS, ((JsonString) item).value()));
    }
    return targets;
  }

  private static void labels(Tree tree, JsonValue v, JsonPath path, Format format, List<String> out,
      String metaLabel) {
    if (v instanceof JsonNull) {
      return;
    }
    if (!(v instanceof JsonObject)) {
      throw tree.error(v, path.toString(), "expected " + (format == Format.JSON ? "an object" : "a mapping")
          + " of label names to values, found " + Trees.kind(v, format));
    }
    for (Member m : ((JsonObject) v).members()) {
      if (m.key().isEmpty()) {
        throw tree.error(m.keyOffset(), path.toString(), "an empty label name");
      }
      JsonValue value = m.value();
      if (value instanceof JsonNull || m.key().equals(metaLabel)) {
        continue; // an empty value: no label; the meta label is set from the source, as Prometheus overwrites it
      }
      if (!(value instanceof JsonString)) {
        throw tree.error(value, path.with(m.key()), "expected a string label value, found " + Trees.kind(value, format));
      }
      out.add(m.key());
      out.add(((JsonString) value).value());
    }
  }
}
