package io.github.infermetrics.core.internal.json;

import java.util.List;
import java.util.Objects;

/**
 * A value of a JSON tree (also built by the YAML subset reader), with the offset where it starts in its
 * {@link SourceText}.
 */
public sealed interface JsonValue {
  /**
   * Where the value starts.
   *
   * @return a char offset into the source text
   */
  int offset();

  /**
   * What kind of value this is, for messages: "an object", "a string", ...
   *
   * @return the description
   */
  String kind();

  /**
   * An object; members keep their order.
   *
   * @param members the members, keys unique
   * @param offset where it starts
   */
  record JsonObject(List<Member> members, int offset) implements JsonValue {
    /**
     * Copies the members.
     *
     * @param members the members
     * @param offset where it starts
     */
    public JsonObject {
      members = List.copyOf(members);
    }

    @Override
    public String kind() {
      return "an object";
    }
  }

  /**
   * A member of an object.
   *
   * @param key the key
   * @param keyOffset where the key starts
   * @param value the value
   */
  record Member(String key, int keyOffset, JsonValue value) {
    /**
     * Validates.
     *
     * @param key the key
     * @param keyOffset where the key starts
     * @param value the value
     */
    public Member {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * An array.
   *
   * @param items the items
   * @param offset where it starts
   */
  record JsonArray(List<JsonValue> items, int offset) implements JsonValue {
    /**
     * Copies the items.
     *
     * @param items the items
     * @param offset where it starts
     */
    public JsonArray {
      items = List.copyOf(items);
    }

    @Override
    public String kind() {
      return "an array";
    }
  }

  /**
   * A string; from YAML also a plain scalar such as {@code 8080} or {@code true}, kept as written.
   *
   * @param value the text, unescaped
   * @param offset where it starts
   */
  record JsonString(String value, int offset) implements JsonValue {
    /**
     * Validates.
     *
     * @param value the text
     * @param offset where it starts
     */
    public JsonString {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public String kind() {
      return "a string";
    }
  }

  /**
   * A number, as written.
   *
   * @param text the number's text
   * @param offset where it starts
   */
  record JsonNumber(String text, int offset) implements JsonValue {
    @Override
    public String kind() {
      return "a number (" + text + ")";
    }
  }

  /**
   * {@code true} or {@code false}.
   *
   * @param value the value
   * @param offset where it starts
   */
  record JsonBoolean(boolean value, int offset) implements JsonValue {
    @Override
    public String kind() {
      return value ? "true" : "false";
    }
  }

  /**
   * {@code null}; from YAML also {@code ~} and an empty value.
   *
   * @param offset where it starts
   */
  record JsonNull(int offset) implements JsonValue {
    @Override
    public String kind() {
      return "null";
    }
  }
}
