package io.github.infermetrics.cloudwatch.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infermetrics.cloudwatch.insights.internal.QueryText;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever a user passes as a field name, string or regex, the rendered query has the same structure: a lexer that
 * follows the Logs Insights rules (strings with backslash escapes, backtick names, regex literals after an operator
 * that takes one, {@code #} comments, {@code |} between commands) finds exactly the tokens the builder meant, and
 * the string and name tokens decode to the values passed in.
 */
class InjectionPropertiesTest {
  @Provide
  Arbitrary<String> hostile() {
    // the characters that matter for structure, plus anything else
    Arbitrary<String> nasty = Arbitraries.strings().withChars("\"'`\\/|#\n\r\t *()[]=~<>!,.@$-_aZ09")
        .ofMinLength(1).ofMaxLength(40);
    return Arbitraries.oneOf(nasty, Arbitraries.strings().ofMinLength(1).ofMaxLength(40));
  }

  @Property(tries = 400)
  void valuesCannotChangeTheStructure(@ForAll("hostile") String field, @ForAll("hostile") String text,
      @ForAll("hostile") String regex) {
    boolean fieldOk = !field.isBlank() && field.chars().noneMatch(Character::isISOControl);
    boolean textOk = QueryText.badControl(text) < 0;
    boolean regexOk = !QueryText.endsWithLoneBackslash(regex);
    if (!fieldOk) {
      assertThatThrownBy(() -> Expr.path(field)).isInstanceOf(IllegalArgumentException.class);
      return;
    }
    if (!textOk) {
      assertThatThrownBy(() -> Expr.string(text)).isInstanceOf(IllegalArgumentException.class);
      return;
    }
    if (!regexOk) {
      assertThatThrownBy(() -> Expr.regex(regex)).isInstanceOf(IllegalArgumentException.class);
      return;
    }
    Query q = Query.create().fields(Expr.field("@message"))
        .filter(Expr.path(field).eq(text).and(Expr.path(field).matches(regex)))
        .limit(5);
    List<Token> tokens = lex(q.text());
    assertThat(tokens).extracting(Token::kind).containsExactly(
        Kind.WORD, Kind.WORD, Kind.PIPE,
        Kind.WORD, Kind.NAME, Kind.OP, Kind.STRING, Kind.WORD, Kind.NAME, Kind.OP, Kind.REGEX, Kind.PIPE,
        Kind.WORD, Kind.WORD);
    assertThat(tokens.get(4).value()).isEqualTo(field);
    assertThat(tokens.get(6).value()).isEqualTo(text);
    assertThat(tokens.get(8).value()).isEqualTo(field);
    assertThat(tokens.get(13).value()).isEqualTo("5");
  }

  @Property(tries = 200)
  void globsAndAliasesStayInTheirTokens(@ForAll("hostile") String glob) {
    if (QueryText.badControl(glob) >= 0) {
      return;
    }
    long stars = glob.chars().filter(c -> c == '*').count();
    if (stars == 0) {
      assertThatThrownBy(() -> Query.create().parseGlob(null, glob)).isInstanceOf(IllegalArgumentException.class);
      return;
    }
    String[] aliases = new String[(int) stars];
    for (int i = 0; i < aliases.length; i++) {
      aliases[i] = "a`" + i;
    }
    List<Token> tokens = lex(Query.create().parseGlob(Expr.field("log"), glob, aliases).text());
    assertThat(tokens.get(2).kind()).isEqualTo(Kind.STRING);
    assertThat(tokens.get(2).value()).isEqualTo(glob);
    assertThat(tokens).hasSize(4 + aliases.length);
  }

  enum Kind { WORD, NAME, STRING, REGEX, OP, PIPE }

  record Token(Kind kind, String value) {}

  /** A lexer for the subset the properties render; a regex literal may only follow {@code =~} or {@code like}. */
  static List<Token> lex(String s) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\n' || c == ',') {
        i++;
      } else if (c == '#') {
        // a comment: whatever follows on the line is lost; the properties must never see one
        throw new AssertionError("comment at " + i + " in " + s);
      } else if (c == '|') {
        out.add(new Token(Kind.PIPE, "|"));
        i++;
      } else if (c == '"' || c == '\'') {
        StringBuilder v = new StringBuilder();
        i = quoted(s, i, c, v, true);
        out.add(new Token(Kind.STRING, v.toString()));
      } else if (c == '`') {
        StringBuilder v = new StringBuilder();
        i = quoted(s, i, '`', v, false);
        out.add(new Token(Kind.NAME, v.toString()));
      } else if (c == '/' && !out.isEmpty() && out.get(out.size() - 1).kind() == Kind.OP) {
        StringBuilder v = new StringBuilder();
        i = quoted(s, i, '/', v, false);
        out.add(new Token(Kind.REGEX, v.toString()));
      } else if ("=!<>~".indexOf(c) >= 0) {
        int start = i;
        while (i < s.length() && "=!<>~".indexOf(s.charAt(i)) >= 0) {
          i++;
        }
        out.add(new Token(Kind.OP, s.substring(start, i)));
      } else if (Character.isLetterOrDigit(c) || c == '@' || c == '_') {
        int start = i;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || "@_.".indexOf(s.charAt(i)) >= 0)) {
          i++;
        }
        String w = s.substring(start, i);
        // after the keyword, not after a string that spells it (found by InsightsEscapingFuzzTest)
        Token previous = out.isEmpty() ? null : out.get(out.size() - 1);
        boolean isName = previous != null && previous.kind() == Kind.WORD
            && (previous.value().equals("filter") || previous.value().equals("and"));
        out.add(new Token(isName ? Kind.NAME : Kind.WORD, w));
      } else {
        throw new AssertionError("unexpected '" + c + "' at " + i + " in " + s);
      }
    }
    return out;
  }

  /** Reads a quoted token from its opening quote; returns the index after the closing one. */
  private static int quoted(String s, int start, char quote, StringBuilder v, boolean decodeEscapes) {
    int i = start + 1;
    while (true) {
      if (i >= s.length()) {
        throw new AssertionError("unterminated " + quote + " from " + start + " in " + s);
      }
      char c = s.charAt(i);
      if (c == '\\') {
        char n = s.charAt(i + 1);
        if (decodeEscapes) {
          v.append(switch (n) {
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            default -> n;
          });
        } else {
          if (quote == '/') {
            v.append('\\');
          }
          v.append(n);
        }
        i += 2;
      } else if (c == quote) {
        return i + 1;
      } else {
        if (quote == '/' && (c == '\n' || c == '\r')) {
          throw new AssertionError("raw line break in a regex literal: " + s);
        }
        v.append(c);
        i++;
      }
    }
  }
}
