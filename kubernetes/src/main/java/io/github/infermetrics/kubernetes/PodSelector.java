package io.github.infermetrics.kubernetes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A Kubernetes label selector in its string form, checked here so that a typo is an error at start with the
 * place, not an empty target list: {@code app=vllm}, {@code app==vllm}, {@code tier!=cpu},
 * {@code app in (vllm,sglang)}, {@code env notin (dev)}, {@code gpu} (the label exists), {@code !canary} (it does
 * not), joined by commas (all must hold).
 */
final class PodSelector {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
  private static final Pattern PREFIX =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

  static final PodSelector EVERYTHING = new PodSelector(List.of());

  private enum Op { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

  private record Requirement(String key, Op op, Set<String> values) {
    boolean matches(Map<String, String> labels) {
      String v = labels.get(key);
      switch (op) {
        case EQUALS:
        case IN:
          return v != null && values.contains(v);
        case NOT_EQUALS:
        case NOT_IN:
          return v == null || !values.contains(v);
        case EXISTS:
          return v != null;
        case DOES_NOT_EXIST:
          return v == null;
        default:
          throw new AssertionError(op);
      }
    }

    @Override
    public String toString() {
      switch (op) {
        case EQUALS: return key + "=" + values.iterator().next();
        case NOT_EQUALS: return key + "!=" + values.iterator().next();
        case IN: return key + " in (" + String.join(",", values) + ")";
        case NOT_IN: return key + " notin (" + String.join(",", values) + ")";
        case EXISTS: return key;
        case DOES_NOT_EXIST: return "!" + key;
        default: throw new AssertionError(op);
      }
    }
  }

  private final List<Requirement> requirements;

  private PodSelector(List<Requirement> requirements) {
    this.requirements = List.copyOf(requirements);
  }

  /**
   * Parses a selector.
   *
   * @param text the selector; blank selects everything
   * @return the selector
   * @throws IllegalArgumentException naming the column and what is wrong
   */
  static PodSelector parse(String text) {
    Objects.requireNonNull(text, "selector");
    List<Requirement> reqs = new ArrayList<>();
    Scanner s = new Scanner(text);
    s.skipBlanks();
    if (s.atEnd()) {
      return EVERYTHING;
    }
    while (true) {
      reqs.add(requirement(s));
      s.skipBlanks();
      if (s.atEnd()) {
        break;
      }
      s.expect(',', "',' between requirements");
      s.skipBlanks();
    }
    return new PodSelector(reqs);
  }

  private static Requirement requirement(Scanner s) {
    if (s.peek() == '!') {
      s.next();
      s.skipBlanks();
      return new Requirement(key(s), Op.DOES_NOT_EXIST, Set.of());
    }
    String key = key(s);
    s.skipBlanks();
    if (s.atEnd() || s.peek() == ',') {
      return new Requirement(key, Op.EXISTS, Set.of());
    }
    if (s.peek() == '=' || s.peek() == '!') {
      boolean not = s.next() == '!';
      if (not) {
        s.expect('=', "'=' after '!'");
      } else if (!s.atEnd() && s.peek() == '=') {
        s.next();
      }
      s.skipBlanks();
      return new Requirement(key, not ? Op.NOT_EQUALS : Op.EQUALS, Set.of(value(s)));
    }
    if (s.peek() == '<' || s.peek() == '>') {
      throw s.error("the gt/lt operators are not supported in a pod selector");
    }
    String word = s.word();
    Op op;
    if (word.equals("in")) {
      op = Op.IN;
    } else if (word.equals("notin")) {
      op = Op.NOT_IN;
    } else {
      throw s.error("expected =, ==, !=, in or notin after \"" + key + "\", found \"" + word + "\"");
    }
    s.skipBlanks();
    s.expect('(', "'(' after " + word);
    Set<String> values = new TreeSet<>();
    while (true) {
      s.skipBlanks();
      values.add(value(s));
      s.skipBlanks();
      if (!s.atEnd() && s.peek() == ')') {
        s.next();
        break;
      }
      s.expect(',', "',' or ')' in the value list");
    }
    return new Requirement(key, op, values);
  }

  private static String key(Scanner s) {
    int at = s.pos;
    String key = s.token();
    if (key.isEmpty()) {
      throw s.error("expected a label key");
    }
    int slash = key.indexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    String prefix = slash < 0 ? null : key.substring(0, slash);
    if (!NAME.matcher(name).matches() || (prefix != null && (prefix.length() > 253
        || !PREFIX.matcher(prefix).matches()))) {
      s.pos = at;
      throw s.error("\"" + key + "\" is not a valid label key ([prefix/]name, name up to 63 characters of"
          + " [A-Za-z0-9-_.] starting and ending alphanumeric)");
    }
    return key;
  }

  private static String value(Scanner s) {
    int at = s.pos;
    String v = s.token();
    if (!VALUE.matcher(v).matches()) {
      s.pos = at;
      throw s.error("\"" + v + "\" is not a valid label value (up to 63 characters of [A-Za-z0-9-_.] starting and"
          + " ending alphanumeric)");
    }
    return v;
  }

  /** Whether labels satisfy every requirement. */
  boolean matches(Map<String, String> labels) {
    for (Requirement r : requirements) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  boolean isEmpty() {
    return requirements.isEmpty();
  }

  /** The canonical form, as sent to the API server: {@code app in (sglang,vllm),tier=gpu}. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    for (Requirement r : requirements) {
      parts.add(r.toString());
    }
    return String.join(",", parts);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PodSelector && ((PodSelector) o).requirements.equals(requirements);
  }

  @Override
  public int hashCode() {
    return requirements.hashCode();
  }

  private static final class Scanner {
    final String text;
    int pos;

    Scanner(String text) {
      this.text = text;
    }

    boolean atEnd() {
      return pos >= text.length();
    }

    char peek() {
      return text.charAt(pos);
    }

    char next() {
      return text.charAt(pos++);
    }

    void skipBlanks() {
      while (!atEnd() && Character.isWhitespace(peek())) {
        pos++;
      }
    }

    void expect(char c, String what) {
      if (atEnd() || peek() != c) {
        throw error("expected " + what);
      }
      pos++;
    }

    /** Up to a blank or one of {@code ,=!()<>}. */
    String token() {
      int start = pos;
      while (!atEnd() && !Character.isWhitespace(peek()) && ",=!()<>".indexOf(peek()) < 0) {
        pos++;
      }
      return text.substring(start, pos);
    }

    String word() {
      return token();
    }

    IllegalArgumentException error(String message) {
      return new IllegalArgumentException("selector \"" + text + "\", column " + (pos + 1) + ": " + message);
    }
  }
}
