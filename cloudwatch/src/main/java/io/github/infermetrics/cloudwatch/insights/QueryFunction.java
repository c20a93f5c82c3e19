package io.github.infermetrics.cloudwatch.insights;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The functions of the Logs Insights language, with how many arguments each takes. {@link #call(Expr...)} checks
 * the count.
 *
 * <pre>{@code
 * QueryFunction.PCT.call(Expr.field("@duration"), Expr.number(95));   // pct(@duration, 95)
 * QueryFunction.BIN.call(Expr.period("5m"));                          // bin(5m)
 * QueryFunction.COUNT.call();                                         // count(*)
 * }</pre>
 *
 * @since 0.1
 */
public enum QueryFunction {
  // numeric
  /** {@code abs(n)}. */
  ABS("abs", Kind.NUMERIC, 1, 1),
  /** {@code ceil(n)}. */
  CEIL("ceil", Kind.NUMERIC, 1, 1),
  /** {@code floor(n)}. */
  FLOOR("floor", Kind.NUMERIC, 1, 1),
  /** {@code greatest(n, ...)}. */
  GREATEST("greatest", Kind.NUMERIC, 1, Integer.MAX_VALUE),
  /** {@code least(n, ...)}. */
  LEAST("least", Kind.NUMERIC, 1, Integer.MAX_VALUE),
  /** {@code log(n)}, the natural logarithm. */
  LOG("log", Kind.NUMERIC, 1, 1),
  /** {@code sqrt(n)}. */
  SQRT("sqrt", Kind.NUMERIC, 1, 1),
  // general
  /** {@code ispresent(field)}. */
  IS_PRESENT("ispresent", Kind.GENERAL, 1, 1),
  /** {@code coalesce(f, ...)}: the first value that is not null. */
  COALESCE("coalesce", Kind.GENERAL, 1, Integer.MAX_VALUE),
  /** {@code unmask(field)}: the content that data protection masked (needs {@code logs:Unmask}). */
  UNMASK("unmask", Kind.GENERAL, 1, 1),
  // string
  /** {@code isempty(s)}. */
  IS_EMPTY("isempty", Kind.STRING, 1, 1),
  /** {@code isblank(s)}. */
  IS_BLANK("isblank", Kind.STRING, 1, 1),
  /** {@code concat(s, ...)}. */
  CONCAT("concat", Kind.STRING, 1, Integer.MAX_VALUE),
  /** {@code ltrim(s [, chars])}. */
  LTRIM("ltrim", Kind.STRING, 1, 2),
  /** {@code rtrim(s [, chars])}. */
  RTRIM("rtrim", Kind.STRING, 1, 2),
  /** {@code trim(s [, chars])}. */
  TRIM("trim", Kind.STRING, 1, 2),
  /** {@code strlen(s)}. */
  STRLEN("strlen", Kind.STRING, 1, 1),
  /** {@code toupper(s)}. */
  TO_UPPER("toupper", Kind.STRING, 1, 1),
  /** {@code tolower(s)}. */
  TO_LOWER("tolower", Kind.STRING, 1, 1),
  /** {@code substr(s, start [, length])}. */
  SUBSTR("substr", Kind.STRING, 2, 3),
  /** {@code replace(s, find, replacement)}. */
  REPLACE("replace", Kind.STRING, 3, 3),
  /** {@code strcontains(s, sub)}: 1 when it contains it, else 0. */
  STR_CONTAINS("strcontains", Kind.STRING, 2, 2),
  // datetime
  /** {@code bin(period)}: the time bucket of {@code @timestamp}, for {@code stats ... by}. */
  BIN("bin", Kind.DATETIME, 1, 1),
  /** {@code datefloor(timestamp, period)}. */
  DATE_FLOOR("datefloor", Kind.DATETIME, 2, 2),
  /** {@code dateceil(timestamp, period)}. */
  DATE_CEIL("dateceil", Kind.DATETIME, 2, 2),
  /** {@code fromMillis(n)}. */
  FROM_MILLIS("fromMillis", Kind.DATETIME, 1, 1),
  /** {@code toMillis(timestamp)}. */
  TO_MILLIS("toMillis", Kind.DATETIME, 1, 1),
  // IP
  /** {@code isValidIp(s)}. */
  IS_VALID_IP("isValidIp", Kind.IP, 1, 1),
  /** {@code isValidIpV4(s)}. */
  IS_VALID_IP_V4("isValidIpV4", Kind.IP, 1, 1),
  /** {@code isValidIpV6(s)}. */
  IS_VALID_IP_V6("isValidIpV6", Kind.IP, 1, 1),
  /** {@code isIpInSubnet(ip, "cidr")}. */
  IS_IP_IN_SUBNET("isIpInSubnet", Kind.IP, 2, 2),
  /** {@code isIpv4InSubnet(ip, "cidr")}. */
  IS_IPV4_IN_SUBNET("isIpv4InSubnet", Kind.IP, 2, 2),
  /** {@code isIpv6InSubnet(ip, "cidr")}. */
  IS_IPV6_IN_SUBNET("isIpv6InSubnet", Kind.IP, 2, 2),
  // JSON
  /** {@code jsonParse(s)}: a MAP or LIST for dot and bracket access and {@code unnest}. */
  JSON_PARSE("jsonParse", Kind.JSON, 1, 1),
  // stats aggregation
  /** {@code avg(n)}. */
  AVG("avg", Kind.AGGREGATION, 1, 1),
  /** {@code count(*)} without arguments, {@code count(f)} with one. */
  COUNT("count", Kind.AGGREGATION, 0, 1),
  /** {@code count_distinct(f)}, approximate at high cardinality. */
  COUNT_DISTINCT("count_distinct", Kind.AGGREGATION, 1, 1),
  /** {@code max(n)}. */
  MAX("max", Kind.AGGREGATION, 1, 1),
  /** {@code min(n)}. */
  MIN("min", Kind.AGGREGATION, 1, 1),
  /** {@code pct(n, percentile)}. */
  PCT("pct", Kind.AGGREGATION, 2, 2),
  /** {@code stddev(n)}. */
  STDDEV("stddev", Kind.AGGREGATION, 1, 1),
  /** {@code sum(n)}. */
  SUM("sum", Kind.AGGREGATION, 1, 1),
  // stats non-aggregation
  /** {@code earliest(f)}: the value from the event with the lowest timestamp. */
  EARLIEST("earliest", Kind.NON_AGGREGATION, 1, 1),
  /** {@code latest(f)}: the value from the event with the highest timestamp. */
  LATEST("latest", Kind.NON_AGGREGATION, 1, 1),
  /** {@code sortsFirst(f)}. */
  SORTS_FIRST("sortsFirst", Kind.NON_AGGREGATION, 1, 1),
  /** {@code sortsLast(f)}. */
  SORTS_LAST("sortsLast", Kind.NON_AGGREGATION, 1, 1);

  /** The documented groups of functions. */
  public enum Kind {
    /** Numeric operations. */
    NUMERIC,
    /** {@code ispresent}, {@code coalesce}, {@code unmask}. */
    GENERAL,
    /** String functions. */
    STRING,
    /** Datetime functions. */
    DATETIME,
    /** IP address functions. */
    IP,
    /** JSON parsing. */
    JSON,
    /** Aggregations for {@code stats}. */
    AGGREGATION,
    /** Non-aggregating {@code stats} functions. */
    NON_AGGREGATION
  }

  private final String functionName;
  private final Kind kind;
  private final int minArgs;
  private final int maxArgs;

  QueryFunction(String functionName, Kind kind, int minArgs, int maxArgs) {
    this.functionName = functionName;
    this.kind = kind;
    this.minArgs = minArgs;
    this.maxArgs = maxArgs;
  }

  /**
   * The name in query text.
   *
   * @return for example {@code count_distinct}
   */
  public String functionName() {
    return functionName;
  }

  /**
   * The group it belongs to.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * A call of this function.
   *
   * @param arguments the arguments
   * @return the call
   * @throws IllegalArgumentException when the number of arguments is wrong for the function
   */
  public Expr call(Expr... arguments) {
    return new Call(this, Arrays.asList(arguments.clone()));
  }

  /**
   * A call of this function.
   *
   * @param arguments the arguments
   * @return the call
   * @throws IllegalArgumentException when the number of arguments is wrong for the function
   */
  public Expr call(List<Expr> arguments) {
    return new Call(this, arguments);
  }

  void checkArity(int n) {
    if (n < minArgs || n > maxArgs) {
      String want = minArgs == maxArgs ? String.valueOf(minArgs)
          : maxArgs == Integer.MAX_VALUE ? "at least " + minArgs : minArgs + " to " + maxArgs;
      throw new IllegalArgumentException(functionName + ": takes " + want + " argument" + (maxArgs == 1 ? "" : "s")
          + ", got " + n);
    }
  }

  /**
   * The function with this name in query text.
   *
   * @param name for example {@code toupper}; any case
   * @return the function
   * @throws IllegalArgumentException when there is none
   */
  public static QueryFunction byName(String name) {
    for (QueryFunction f : values()) {
      if (f.functionName.equalsIgnoreCase(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException("no Logs Insights function " + name.toLowerCase(Locale.ROOT));
  }
}
