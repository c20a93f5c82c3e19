package io.github.infermetrics.core.discovery;

import io.github.infermetrics.core.internal.json.JsonException;
import io.github.infermetrics.core.internal.json.JsonReader;
import io.github.infermetrics.core.internal.json.JsonValue;
import io.github.infermetrics.core.internal.json.SourceText;
import io.github.infermetrics.core.internal.yaml.YamlReader;
import java.util.Locale;

/** Reading JSON and YAML configuration into trees, with errors as {@link DiscoveryException}s. */
final class Trees {
  private Trees() {}

  /** The format a file name's extension says, as Prometheus decides it: .json, .yml or .yaml, any case. */
  enum Format {
    JSON,
    YAML;

    static Format ofFileName(String name) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.endsWith(".json")) {
        return JSON;
      }
      if (lower.endsWith(".yml") || lower.endsWith(".yaml")) {
        return YAML;
      }
      return null;
    }
  }

  /** A parsed text and its source, which error messages need for positions. */
  record Tree(SourceText source, JsonValue root) {
    DiscoveryException error(JsonValue at, String path, String message) {
      return error(at.offset(), path, message);
    }

    DiscoveryException error(int offset, String path, String message) {
      JsonException e = source.error(offset, path, message);
      return new DiscoveryException(e.getMessage());
    }
  }

  static Tree read(String name, byte[] bytes, Format format) {
    try {
      SourceText text = SourceText.decodeUtf8(name, bytes);
      JsonValue root = format == Format.JSON ? JsonReader.read(text) : YamlReader.read(text);
      return new Tree(text, root);
    } catch (JsonException e) {
      throw new DiscoveryException(e.getMessage(), e);
    }
  }

  /** "a string", "an object" in JSON terms, "a mapping", "a sequence" in YAML terms. */
  static String kind(JsonValue v, Format format) {
    if (format == Format.YAML) {
      if (v instanceof JsonValue.JsonObject) {
        return "a mapping";
      }
      if (v instanceof JsonValue.JsonArray) {
        return "a sequence";
      }
      if (v instanceof JsonValue.JsonString) {
        return "a scalar";
      }
    }
    return v.kind();
  }
}
