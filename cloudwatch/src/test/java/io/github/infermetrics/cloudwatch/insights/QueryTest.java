package io.github.infermetrics.cloudwatch.insights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class QueryTest {
  static final Expr TS = Expr.field("@timestamp");
  static final Expr MSG = Expr.field("@message");

  @Test
  void rendersEveryCommand() {
    Query q = Query.create()
        .source(new LogGroupSelection(List.of("/aws/containerinsights/a/", "/aws/eks/"), List.of("111122223333"),
            java.util.Optional.of("STANDARD")))
        .filterIndex(Expr.field("@logStream"), "a", "b")
        .fields(TS, MSG, QueryFunction.TO_LOWER.call(Expr.field("level")).as("lvl"))
        .unmask(MSG)
        .parseGlob(MSG, "user=* action=*", "user", "action")
        .parseRegex(Expr.field("log"), "took (?<ms>\\d+)ms")
        .filter(Expr.field("lvl").in("error", "warn").and(Expr.not(Expr.field("user").like("bot"))))
        .unnest(QueryFunction.JSON_PARSE.call(Expr.field("items")), "item")
        .lookup("owners", "user_id", Expr.field("user"), "team", "email")
        .stats(List.of(QueryFunction.COUNT.call().as("n"), QueryFunction.COUNT_DISTINCT.call(Expr.field("user")),
                QueryFunction.PCT.call(Expr.field("ms"), Expr.number(99)).as("p99"),
                QueryFunction.EARLIEST.call(MSG), QueryFunction.LATEST.call(MSG)),
            List.of(Expr.field("action"), QueryFunction.BIN.call(Expr.period("5m"))))
        .sort(Expr.field("n").desc(), Expr.field("action").asc())
        .display(Expr.field("action"), Expr.field("n"))
        .addTotals()
        .dedup(Expr.field("action"))
        .limit(10_000);
    assertThat(q.text()).isEqualTo("""
        SOURCE logGroups(namePrefix:['/aws/containerinsights/a/','/aws/eks/'], accountIdentifiers:['111122223333'], \
        class:['STANDARD'])
        | filterIndex @logStream in ["a", "b"]
        | fields @timestamp, @message, tolower(level) as lvl
        | fields unmask(@message)
        | parse @message "user=* action=*" as user, action
        | parse log /took (?<ms>\\d+)ms/
        | filter lvl in ["error", "warn"] and not user like "bot"
        | unnest jsonParse(items) into item
        | lookup owners user_id as user OUTPUT team, email
        | stats count(*) as n, count_distinct(user), pct(ms, 99) as p99, earliest(@message), latest(@message) \
        by action, bin(5m)
        | sort n desc, action asc
        | display action, n
        | addtotals
        | dedup action
        | limit 10000""");
    assertThat(q.hasSource()).isTrue();
    assertThat(q.size()).isEqualTo(15);
  }

  @Test
  void rendersPatternDiffAnomaly() {
    Query q = Query.create().filter(MSG.like(Expr.regex("(?i)error"))).pattern(MSG).anomaly();
    assertThat(q.text()).isEqualTo("filter @message like /(?i)error/\n| pattern @message\n| anomaly");
    assertThat(Query.create().fields(MSG).diff(DiffPeriod.PREVIOUS_WEEK).text())
        .isEqualTo("fields @message\n| diff previousWeek");
    assertThat(Query.create().fields(MSG).diff().text()).isEqualTo("fields @message\n| diff");
    assertThat(Query.create().filterIndex(Expr.field("traceId"), "abc").text()).isEqualTo("filterIndex traceId = \"abc\"");
  }

  @Test
  void precedenceGetsParentheses() {
    Expr a = Expr.field("a");
    Expr b = Expr.field("b");
    Expr c = Expr.field("c");
    assertThat(a.or(b).and(c)).hasToString("(a or b) and c");
    assertThat(a.and(b).or(c)).hasToString("a and b or c");
    assertThat(a.and(b.and(c))).hasToString("a and b and c");
    assertThat(a.minus(b.minus(c))).hasToString("a - (b - c)");
    assertThat(a.minus(b).minus(c)).hasToString("a - b - c");
    assertThat(a.plus(b).times(c)).hasToString("(a + b) * c");
    assertThat(a.pow(b).pow(c)).hasToString("(a ^ b) ^ c");
    assertThat(a.pow(b.pow(c))).hasToString("a ^ b ^ c");
    assertThat(Expr.not(a.eq(1).or(b.ne("x")))).hasToString("not (a = 1 or b != \"x\")");
    assertThat(a.minus(Expr.number(-5))).hasToString("a - -5");
    assertThat(Expr.number(-2).pow(b)).hasToString("(-2) ^ b");
    assertThat(Expr.negate(Expr.negate(a))).hasToString("-(-a)");
    assertThat(a.dividedBy(1000).mod(b)).hasToString("a / 1000 % b");
    assertThat(a.times(0.5).ge(1e-3)).hasToString("a * 0.5 >= 0.001");
    assertThat(a.notIn("x").and(b.notLike(Expr.string("y"))).and(c.matches("^z"))).hasToString(
        "a not in [\"x\"] and b not like \"y\" and c =~ /^z/");
    assertThat(a.in(List.of(Expr.number(1), Expr.number(2.5)))).hasToString("a in [1, 2.5]");
    assertThat(a.lt(b).eq(Expr.number(1))).hasToString("(a < b) = 1");
    assertThat(QueryFunction.IS_IP_IN_SUBNET.call(Expr.field("ip"), Expr.string("10.0.0.0/8"))
        .and(QueryFunction.DATE_FLOOR.call(TS, Expr.period("1h")).gt(QueryFunction.FROM_MILLIS.call(Expr.number(0)))))
        .hasToString("isIpInSubnet(ip, \"10.0.0.0/8\") and datefloor(@timestamp, 1h) > fromMillis(0)");
  }

  @Test
  void quotesFieldNamesThatNeedIt() {
    assertThat(Expr.field("kubernetes.pod_name")).hasToString("kubernetes.pod_name");
    assertThat(Expr.field("foo-bar")).hasToString("`foo-bar`");
    assertThat(Expr.field("cs(User-Agent)")).hasToString("`cs(User-Agent)`");
    assertThat(Expr.path("map", "attributes", "special.char")).hasToString("map.attributes.`special.char`");
    assertThat(Expr.field("a`b\\c")).hasToString("`a\\`b\\\\c`");
    assertThat(Expr.field("and")).hasToString("`and`");
    assertThat(Expr.field("1st")).hasToString("`1st`");
    assertThat(Expr.field("has space")).hasToString("`has space`");
  }

  @Test
  void escapesLiterals() {
    assertThat(Expr.string("say \"hi\"\\n\nnext")).hasToString("\"say \\\"hi\\\"\\\\n\\nnext\"");
    assertThat(Expr.regex("a/b\\/c")).hasToString("/a\\/b\\/c/");
    assertThat(Expr.regex("x\ny")).hasToString("/x\\ny/");
  }

  @Test
  void functionsCheckTheirArguments() {
    assertThatThrownBy(() -> QueryFunction.ABS.call()).hasMessage("abs: takes 1 argument, got 0");
    assertThatThrownBy(() -> QueryFunction.SUBSTR.call(MSG)).hasMessage("substr: takes 2 to 3 arguments, got 1");
    assertThatThrownBy(() -> QueryFunction.CONCAT.call()).hasMessage("concat: takes at least 1 arguments, got 0");
    assertThat(QueryFunction.byName("TOUPPER")).isEqualTo(QueryFunction.TO_UPPER);
    assertThat(QueryFunction.values()).extracting(QueryFunction::kind).contains(QueryFunction.Kind.values());
  }

  @Test
  void validationNamesTheCommand() {
    Query q = Query.create().fields(MSG);
    assertThatThrownBy(() -> q.limit(10_001)).hasMessage("limit: must be between 1 and 10000, was 10001");
    assertThatThrownBy(() -> q.limit(0)).hasMessageStartingWith("limit:");
    assertThatThrownBy(() -> q.source(LogGroupSelection.prefixes("/a"))).hasMessage("SOURCE: must be the first command");
    assertThatThrownBy(() -> q.dedup(MSG).sort(MSG.asc())).hasMessage("sort: only limit may follow dedup");
    assertThatThrownBy(() -> q.dedup(MSG).limit(1).limit(2)).hasMessageStartingWith("limit:");
    assertThatThrownBy(q::anomaly).hasMessage("anomaly: needs a pattern command before it");
    assertThatThrownBy(() -> q.filter(QueryFunction.COUNT.call().gt(1))).hasMessageStartingWith("filter: 'count(*) > 1'");
    assertThatThrownBy(() -> q.stats(MSG)).hasMessage("stats: '@message' calls no aggregation function");
    assertThatThrownBy(() -> q.parseGlob(null, "a * b * c", "x")).hasMessage(
        "parse: the glob has 2 '*' but 1 aliases are given");
    assertThatThrownBy(() -> q.parseRegex(null, "(\\d+)")).hasMessageStartingWith("parse: the regex has no named group");
    assertThatThrownBy(() -> q.display(MSG.plus(MSG))).hasMessageStartingWith("display: expects a field");
    assertThatThrownBy(() -> q.lookup("bad table", "k", MSG)).hasMessageStartingWith("lookup:");
    assertThatThrownBy(() -> Expr.period("5 minutes")).hasMessageStartingWith("period:");
    assertThatThrownBy(() -> Expr.regex("abc\\")).hasMessageStartingWith("regex: ends with an unpaired backslash");
    assertThatThrownBy(() -> Expr.string("a\u0000")).hasMessageStartingWith("string: control character U+0000");
    assertThatThrownBy(() -> Expr.field("a..b")).hasMessageStartingWith("field: empty segment");
    assertThatThrownBy(() -> Expr.number(Double.NaN)).hasMessageStartingWith("number:");
    assertThatThrownBy(() -> MSG.like(MSG)).hasMessageStartingWith("like:");
    assertThatThrownBy(() -> Query.create().text()).hasMessage("query: no commands");
    assertThatThrownBy(() -> LogGroupSelection.prefixes("a", "b", "c", "d", "e", "f"))
        .hasMessage("namePrefixes: 1 to 5 prefixes, got 6");
    assertThatThrownBy(() -> new LogGroupSelection(List.of("a"), List.of("123"), java.util.Optional.empty()))
        .hasMessageStartingWith("accountIdentifiers:");
    assertThatThrownBy(() -> LogGroupSelection.prefixes("a'b")).hasMessageStartingWith("namePrefixes:");
  }

  @Test
  void refusesQueriesLongerThanStartQueryAccepts() {
    Query q = Query.create().fields(MSG);
    String big = "x".repeat(9_990);
    assertThatThrownBy(() -> q.filter(MSG.eq(big))).hasMessageContaining("more than the 10000 StartQuery accepts")
        .hasMessageStartingWith("filter:");
  }

  @Test
  void isImmutable() {
    Query base = Query.create().fields(MSG);
    Query a = base.limit(5);
    Query b = base.limit(6);
    assertThat(base.text()).isEqualTo("fields @message");
    assertThat(a.text()).endsWith("limit 5");
    assertThat(b.text()).endsWith("limit 6");
    assertThat(a).isEqualTo(Query.create().fields(MSG).limit(5)).isNotEqualTo(b);
  }
}
