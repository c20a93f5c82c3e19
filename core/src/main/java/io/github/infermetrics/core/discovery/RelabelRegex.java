package io.github.infermetrics.core.discovery;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A relabelling regular expression written for Prometheus (RE2 syntax), run by {@code java.util.regex} with the
 * same meaning where the two differ, and refused where Java would silently mean something else.
 *
 * <p>Like Prometheus, the expression is anchored at both ends and {@code .} matches line breaks ({@code (?s)}).
 * Translated: {@code (?P<name>...)} to {@code (?<name>...)}; POSIX classes {@code [[:alpha:]]} to
 * {@code \p{Alpha}}; {@code [} and {@code &} inside a class are literal (Java would nest or intersect); {@code \v}
 * is the vertical tab. Case-insensitive matching is Unicode-aware, as in RE2. Refused (RE2 refuses them too, or
 * Java would read them differently): lookaround and atomic groups, backreferences and octal escapes, possessive
 * quantifiers, the flags {@code U} (ungreedy in RE2, Unicode classes in Java) and {@code x}/{@code d}/{@code u}/
 * {@code c}, and the Java-only escapes {@code \Z \G \R \X \h \H \e \c \k}. Remaining differences, rare in label
 * values: Java's {@code \s} also matches the vertical tab, {@code $} also matches before a final {@code \n}, and
 * {@code \b} follows Java's word characters.
 */
final class RelabelRegex {
  private static final Map<String, String> POSIX_CLASSES = Map.ofEntries(
      Map.entry("alnum", "Alnum"), Map.entry("alpha", "Alpha"), Map.entry("ascii", "ASCII"),
      Map.entry("blank", "Blank"), Map.entry("cntrl", "Cntrl"), Map.entry("digit", "Digit"),
      Map.entry("graph", "Graph"), Map.entry("lower", "Lower"), Map.entry("print", "Print"),
      Map.entry("punct", "Punct"), Map.entry("space", "Space"), Map.entry("upper", "Upper"),
      Map.entry("word", "Word"), Map.entry("xdigit", "XDigit"));

  private final String source;
  private final Pattern pattern;
  private final Map<String, Integer> groupNames;

  private RelabelRegex(String source, Pattern pattern, Map<String, Integer> groupNames) {
    this.source = source;
    this.pattern = pattern;
    this.groupNames = groupNames;
  }

  /**
   * Compiles an expression as Prometheus writes it.
   *
   * @param regex the expression, unanchored
   * @return the compiled expression
   * @throws IllegalArgumentException naming what is not valid
   */
  static RelabelRegex compile(String regex) {
    Map<String, Integer> names = new HashMap<>();
    String java = translate(regex, names);
    try {
      Pattern p = Pattern.compile("(?s:" + java + ")", Pattern.UNICODE_CASE);
      return new RelabelRegex(regex, p, Map.copyOf(names));
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("regex \"" + regex + "\" is not valid: " + e.getDescription()
          + " near index " + e.getIndex(), e);
    }
  }

  String source() {
    return source;
  }

  /** Matches the whole value, as Prometheus's anchored expressions do. */
  Matcher matchWhole(String value) {
    Matcher m = pattern.matcher(value);
    return m.matches() ? m : null;
  }

  /**
   * Go's {@code Regexp.Expand}: {@code $1}, {@code ${1}}, {@code $name}, {@code ${name}}, {@code $$}. A name is the
   * longest run of letters, digits and {@code _}, so {@code $1x} is the group named {@code 1x}, which does not
   * exist, and expands to nothing (as in Prometheus: write {@code ${1}x}). Unknown groups expand to nothing; a
   * {@code $} not followed by a name stays.
   */
  String expand(String template, Matcher m) {
    if (template.indexOf('$') < 0) {
      return template;
    }
    StringBuilder sb = new StringBuilder();
    int i = 0;
    int n = template.length();
    while (i < n) {
      char c = template.charAt(i);
      if (c != '$') {
        sb.append(c);
        i++;
        continue;
      }
      i++;
      if (i < n && template.charAt(i) == '$') {
        sb.append('$');
        i++;
        continue;
      }
      boolean brace = i < n && template.charAt(i) == '{';
      int nameStart = brace ? i + 1 : i;
      int j = nameStart;
      while (j < n) {
        int cp = template.codePointAt(j);
        if (!Character.isLetter(cp) && !Character.isDigit(cp) && cp != '_') {
          break;
        }
        j += Character.charCount(cp);
      }
      if (j == nameStart || (brace && (j >= n || template.charAt(j) != '}'))) {
        sb.append('$'); // malformed: the $ is literal, the rest is read as text
        continue;
      }
      String name = template.substring(nameStart, j);
      i = brace ? j + 1 : j;
      int group = groupNumber(name);
      if (group < 0) {
        Integer named = groupNames.get(name);
        group = named == null ? -1 : named;
      }
      if (group >= 0 && group <= m.groupCount() && m.group(group) != null) {
        sb.append(m.group(group));
      }
    }
    return sb.toString();
  }

  /** The group number a name spells (no leading zeros), or -1. */
  private static int groupNumber(String name) {
    if (name.length() > 1 && name.charAt(0) == '0') {
      return -1;
    }
    int num = 0;
    for (int k = 0; k < name.length(); k++) {
      char c = name.charAt(k);
      if (c < '0' || c > '9' || num >= 100_000_000) {
        return -1;
      }
      num = num * 10 + (c - '0');
    }
    return num;
  }

  private static String translate(String re, Map<String, Integer> names) {
    StringBuilder out = new StringBuilder(re.length() + 8);
    int groups = 0;
    int n = re.length();
    int i = 0;
    while (i < n) {
      char c = re.charAt(i);
      if (c == '\\') {
        i = escape(re, i, out, false);
      } else if (c == '[') {
        i = characterClass(re, i, out);
      } else if (c == '(') {
        if (i + 1 < n && re.charAt(i + 1) == '?') {
          boolean named = i + 2 < n && (re.charAt(i + 2) == 'P'
              || (re.charAt(i + 2) == '<' && i + 3 < n && re.charAt(i + 3) != '=' && re.charAt(i + 3) != '!'));
          i = groupPrefix(re, i, out, names, groups);
          if (named) {
            groups++; // a named group is numbered too
          }
        } else {
          groups++;
          out.append(c);
          i++;
        }
      } else if ((c == '*' || c == '+' || c == '?' || c == '}') && i + 1 < n && re.charAt(i + 1) == '+') {
        throw refused(re, "possessive quantifier " + c + "+");
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** {@code (?...}: named groups, flags, non-capturing groups; lookaround and atomic groups are refused. */
  private static int groupPrefix(String re, int i, StringBuilder out, Map<String, Integer> names, int groupsBefore) {
    int n = re.length();
    int k = i + 2;
    if (k < n && (re.charAt(k) == '=' || re.charAt(k) == '!' || re.charAt(k) == '>')) {
      throw refused(re, re.charAt(k) == '>' ? "atomic group (?>" : "lookahead (?" + re.charAt(k));
    }
    if (k + 1 < n && re.charAt(k) == '<' && (re.charAt(k + 1) == '=' || re.charAt(k + 1) == '!')) {
      throw refused(re, "lookbehind (?<" + re.charAt(k + 1));
    }
    if (k < n && (re.charAt(k) == 'P' || re.charAt(k) == '<')) {
      int nameStart = re.charAt(k) == 'P' ? k + 2 : k + 1;
      if (re.charAt(k) == 'P' && (k + 1 >= n || re.charAt(k + 1) != '<')) {
        throw refused(re, "(?P without <name>");
      }
      int end = re.indexOf('>', nameStart);
      if (end < 0) {
        throw new IllegalArgumentException("regex \"" + re + "\" is not valid: unterminated group name");
      }
      String name = re.substring(nameStart, end);
      if (!name.matches("[A-Za-z][A-Za-z0-9]*")) {
        throw new IllegalArgumentException("regex \"" + re + "\": group name \"" + name + "\" is not supported:"
            + " Java allows only letters and digits, starting with a letter");
      }
      if (names.putIfAbsent(name, groupsBefore + 1) != null) {
        throw new IllegalArgumentException("regex \"" + re + "\" is not valid: duplicate group name " + name);
      }
      out.append("(?<").append(name).append('>');
      return end + 1;
    }
    // flags: (?i) (?i:...) (?-s) ...; RE2 knows i, m, s and U
    int j = k;
    while (j < n && re.charAt(j) != ')' && re.charAt(j) != ':') {
      char f = re.charAt(j);
      if (f == 'U') {
        throw refused(re, "flag U (ungreedy in RE2, Unicode classes in Java): write lazy quantifiers such as *?");
      }
      if (f != 'i' && f != 'm' && f != 's' && f != '-') {
        throw refused(re, "flag " + f + " in (?" + re.substring(k, Math.min(n, j + 1)));
      }
      j++;
    }
    out.append(re, i, Math.min(n, j + 1));
    return Math.min(n, j + 1);
  }

  private static int characterClass(String re, int i, StringBuilder out) {
    int n = re.length();
    out.append('[');
    int k = i + 1;
    if (k < n && re.charAt(k) == '^') {
      out.append('^');
      k++;
    }
    if (k < n && re.charAt(k) == ']') {
      out.append("\\]"); // a leading ] is literal in RE2
      k++;
    }
    while (k < n) {
      char c = re.charAt(k);
      if (c == ']') {
        out.append(']');
        return k + 1;
      }
      if (c == '\\') {
        k = escape(re, k, out, true);
      } else if (c == '[' && k + 1 < n && re.charAt(k + 1) == ':') {
        int end = re.indexOf(":]", k + 2);
        if (end < 0) {
          out.append("\\[");
          k++;
          continue;
        }
        String name = re.substring(k + 2, end);
        boolean negated = name.startsWith("^");
        String cls = POSIX_CLASSES.get(negated ? name.substring(1) : name);
        if (cls == null) {
          throw new IllegalArgumentException("regex \"" + re + "\" is not valid: unknown POSIX class [:" + name + ":]");
        }
        if (cls.equals("Word")) {
          out.append(negated ? "\\W" : "\\w"); // ASCII [0-9A-Za-z_] in both
        } else {
          out.append(negated ? "\\P{" : "\\p{").append(cls).append('}');
        }
        k = end + 2;
      } else if (c == '[' || c == '&') {
        out.append('\\').append(c); // literal in RE2; Java would nest or intersect classes
        k++;
      } else {
        out.append(c);
        k++;
      }
    }
    throw new IllegalArgumentException("regex \"" + re + "\" is not valid: missing closing ]");
  }

  private static int escape(String re, int i, StringBuilder out, boolean inClass) {
    int n = re.length();
    if (i + 1 >= n) {
      throw new IllegalArgumentException("regex \"" + re + "\" is not valid: trailing backslash");
    }
    char e = re.charAt(i + 1);
    if (e == 'Q') {
      int end = re.indexOf("\\E", i + 2);
      int stop = end < 0 ? n : end + 2;
      out.append(re, i, stop);
      return stop;
    }
    if (e >= '0' && e <= '9') {
      throw refused(re, "backreference or octal escape \\" + e + " (write \\x{..} for a character)");
    }
    if ("ZGRXhHeckCN".indexOf(e) >= 0) {
      throw refused(re, "escape \\" + e);
    }
    if (e == 'v') {
      out.append("\\x0B"); // RE2's \v is the vertical tab; Java's is any vertical whitespace
      return i + 2;
    }
    if (e == 'b' && inClass) {
      throw refused(re, "\\b inside a character class");
    }
    out.append(re, i, i + 2);
    return i + 2;
  }

  private static IllegalArgumentException refused(String re, String what) {
    return new IllegalArgumentException("regex \"" + re + "\": " + what
        + " is not supported (Prometheus's RE2 syntax is, minus the differences listed in RelabelRule)");
  }

  @Override
  public String toString() {
    return source;
  }
}
