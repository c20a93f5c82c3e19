package io.github.infermetrics.cloudwatch;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.github.infermetrics.core.testing.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks EMF events: against the published JSON schema ({@code ../shared/schemas/emf.schema.json}, skipped when
 * that folder is absent) and against the rules of the specification the schema misses (checked always). Every event
 * the writer produces in tests goes through {@link #problems(byte[], int)}.
 */
final class EmfCheck {
  static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final JsonSchema SCHEMA = loadSchema();

  private EmfCheck() {}

  /** Whether the schema could be loaded from ../shared. */
  static boolean schemaAvailable() {
    return SCHEMA != null;
  }

  private static JsonSchema loadSchema() {
    Path p = SharedData.find("schemas/emf.schema.json");
    if (p == null) {
      System.err.println("EmfCheck: ../shared/schemas/emf.schema.json is not available; events are checked against"
          + " the specification's rules only, not the JSON schema");
      return null;
    }
    try (InputStream in = Files.newInputStream(p)) {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Everything wrong with one event; empty when it is valid EMF within the size limit. */
  static List<String> problems(byte[] event, int maxBytes) {
    List<String> out = new ArrayList<>();
    if (event.length > maxBytes) {
      out.add("event has " + event.length + " bytes, more than " + maxBytes);
    }
    for (byte b : event) {
      if (b == '\n' || b == '\r') {
        out.add("event contains a line break");
        break;
      }
    }
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(event));
    } catch (CharacterCodingException e) {
      out.add("not UTF-8: " + e);
    }
    JsonNode root;
    try {
      root = JSON.readTree(event);
    } catch (IOException e) {
      out.add("not JSON: " + e.getMessage());
      return out;
    }
    if (SCHEMA != null) {
      Set<ValidationMessage> messages = SCHEMA.validate(root);
      for (ValidationMessage m : messages) {
        out.add("schema: " + m.getMessage());
      }
    }
    semantic(root, out);
    return out;
  }

  private static void semantic(JsonNode root, List<String> out) {
    if (!root.isObject()) {
      out.add("root is not an object");
      return;
    }
    JsonNode aws = root.get("_aws");
    if (aws == null || !aws.isObject()) {
      out.add("no _aws object");
      return;
    }
    if (!aws.path("Timestamp").canConvertToLong() || !aws.path("Timestamp").isIntegralNumber()) {
      out.add("_aws.Timestamp is not an integer");
    }
    for (JsonNode directive : aws.path("CloudWatchMetrics")) {
      JsonNode metrics = directive.path("Metrics");
      if (metrics.size() > EmfLimits.MAX_METRICS_PER_DIRECTIVE) {
        out.add("directive has " + metrics.size() + " metrics");
      }
      String ns = directive.path("Namespace").asText();
      if (EmfWriter.namespaceProblem(ns) != null) {
        out.add("namespace " + ns + ": " + EmfWriter.namespaceProblem(ns));
      }
      for (JsonNode set : directive.path("Dimensions")) {
        if (set.size() > EmfLimits.MAX_DIMENSION_SET_SIZE) {
          out.add("dimension set with " + set.size() + " keys");
        }
        for (JsonNode key : set) {
          JsonNode v = root.get(key.asText());
          if (v == null || !v.isTextual()) {
            out.add("dimension " + key + " has no string value");
          } else if (v.asText().length() > EmfLimits.MAX_DIMENSION_VALUE_LENGTH) {
            out.add("dimension " + key + " value longer than 1024");
          }
        }
      }
      for (JsonNode def : metrics) {
        String name = def.path("Name").asText();
        JsonNode v = root.get(name);
        if (v == null) {
          out.add("metric " + name + " has no value");
        } else if (v.isArray()) {
          if (v.size() == 0 || v.size() > EmfLimits.MAX_VALUES_PER_METRIC) {
            out.add("metric " + name + " has " + v.size() + " values");
          }
          for (JsonNode x : v) {
            if (!x.isNumber()) {
              out.add("metric " + name + " has a value that is not a number: " + x);
            }
          }
        } else if (!v.isNumber()) {
          out.add("metric " + name + " is not a number: " + v);
        }
        if (def.has("Unit") && !EmfLimits.UNITS.contains(def.get("Unit").asText())) {
          out.add("metric " + name + " unit " + def.get("Unit"));
        }
        if (def.has("StorageResolution") && def.get("StorageResolution").asInt() != 1
            && def.get("StorageResolution").asInt() != 60) {
          out.add("metric " + name + " storage resolution " + def.get("StorageResolution"));
        }
      }
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!k.equals("_aws") && EmfLimits.RESERVED_KEYS.contains(k)) {
        out.add("reserved key " + k);
      }
    }
  }

  /** Parses a valid event, failing the test with the problems otherwise. */
  static ObjectNode valid(byte[] event, int maxBytes) {
    List<String> p = problems(event, maxBytes);
    if (!p.isEmpty()) {
      throw new AssertionError("invalid EMF event " + new String(event, StandardCharsets.UTF_8) + ":\n  "
          + String.join("\n  ", p));
    }
    try {
      return (ObjectNode) JSON.readTree(event);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The metric values of parsed events, by metric name, in order. */
  static Map<String, List<Double>> metricValues(List<ObjectNode> events) {
    Map<String, List<Double>> out = new java.util.LinkedHashMap<>();
    for (ObjectNode e : events) {
      for (JsonNode directive : e.path("_aws").path("CloudWatchMetrics")) {
        for (JsonNode def : directive.path("Metrics")) {
          String name = def.path("Name").asText();
          JsonNode v = e.get(name);
          List<Double> list = out.computeIfAbsent(name, k -> new ArrayList<>());
          if (v.isArray()) {
            v.forEach(x -> list.add(x.asDouble()));
          } else {
            list.add(v.asDouble());
          }
        }
      }
    }
    return out;
  }
}
