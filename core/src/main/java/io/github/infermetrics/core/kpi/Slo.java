package io.github.infermetrics.core.kpi;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A service-level objective on a latency: the share of requests whose time to first token, inter-token latency,
 * end-to-end latency or queue time is at most a threshold. Written as {@code vllm bench serve --goodput} writes
 * them, with a unit: {@code ttft=500ms}, {@code itl=50ms} (or {@code tpot}), {@code e2e=20s} (or {@code e2el}),
 * {@code queue=1s}; a bare number is milliseconds, as in vLLM's flag.
 *
 * <pre>{@code
 * List<Slo> slos = Slo.parseAll("ttft=500ms,e2e=20s");
 * slos.get(0).name();   // "ttft<=500ms", the slo dimension of its goodput
 * }</pre>
 *
 * @param kpi the latency
 * @param threshold the most it may take
 */
public record Slo(Kpi kpi, Duration threshold) {
  private static final Map<String, Kpi> NAMES = Map.of("ttft", Kpi.TIME_TO_FIRST_TOKEN, "itl",
      Kpi.INTER_TOKEN_LATENCY, "tpot", Kpi.INTER_TOKEN_LATENCY, "e2e", Kpi.END_TO_END_LATENCY, "e2el",
      Kpi.END_TO_END_LATENCY, "queue", Kpi.QUEUE_TIME);

  /**
   * Validates.
   *
   * @param kpi a latency KPI
   * @param threshold positive
   */
  public Slo {
    Objects.requireNonNull(kpi, "kpi");
    Objects.requireNonNull(threshold, "threshold");
    if (kpi.unit() != KpiUnit.SECONDS) {
      throw new IllegalArgumentException("an SLO is on a latency, not on " + kpi.id());
    }
    if (threshold.isNegative() || threshold.isZero()) {
      throw new IllegalArgumentException("an SLO threshold must be positive: " + threshold);
    }
  }

  /**
   * Reads one objective, {@code NAME=DURATION}.
   *
   * @param spec for example {@code ttft=500ms}
   * @return the objective
   * @throws IllegalArgumentException saying what is wrong and what is accepted
   */
  public static Slo parse(String spec) {
    int eq = spec.indexOf('=');
    if (eq < 0) {
      eq = spec.indexOf(':'); // vllm bench serve --goodput ttft:500
    }
    if (eq <= 0) {
      throw new IllegalArgumentException("SLO '" + spec + "': expected NAME=DURATION, for example ttft=500ms");
    }
    String name = spec.substring(0, eq).trim().toLowerCase(Locale.ROOT);
    Kpi kpi = NAMES.get(name);
    if (kpi == null) {
      throw new IllegalArgumentException("SLO '" + spec + "': unknown latency '" + name
          + "'; use ttft, itl (or tpot), e2e (or e2el) or queue");
    }
    return new Slo(kpi, duration(spec, spec.substring(eq + 1).trim()));
  }

  /**
   * Reads objectives separated by commas.
   *
   * @param specs for example {@code ttft=500ms,e2e=20s}
   * @return the objectives, in order; a latency named twice is an error
   */
  public static List<Slo> parseAll(String specs) {
    List<Slo> out = new ArrayList<>();
    for (String s : specs.split(",")) {
      if (s.isBlank()) {
        continue;
      }
      Slo slo = parse(s.trim());
      for (Slo before : out) {
        if (before.kpi() == slo.kpi()) {
          throw new IllegalArgumentException("SLO '" + s.trim() + "': " + slo.kpi().id() + " is given twice");
        }
      }
      out.add(slo);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no SLO in '" + specs + "'; for example ttft=500ms,e2e=20s");
    }
    return List.copyOf(out);
  }

  private static Duration duration(String spec, String text) {
    try {
      String t = text.toLowerCase(Locale.ROOT);
      double number;
      double scale;
      if (t.endsWith("ms")) {
        number = Double.parseDouble(t.substring(0, t.length() - 2));
        scale = 1e-3;
      } else if (t.endsWith("us") || t.endsWith("µs")) {
        number = Double.parseDouble(t.substring(0, t.length() - 2));
        scale = 1e-6;
      } else if (t.endsWith("s")) {
        number = Double.parseDouble(t.substring(0, t.length() - 1));
        scale = 1;
      } else if (t.endsWith("m")) {
        number = Double.parseDouble(t.substring(0, t.length() - 1));
        scale = 60;
      } else if (t.startsWith("pt")) {
        return Duration.parse(text);
      } else {
        number = Double.parseDouble(t);
        scale = 1e-3; // a bare number is milliseconds, as in vllm bench serve --goodput
      }
      if (!(number > 0) || Double.isInfinite(number)) {
        throw new IllegalArgumentException("SLO '" + spec + "': the threshold must be a positive duration");
      }
      return Duration.ofNanos(Math.round(number * scale * 1e9));
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException("SLO '" + spec + "': not a duration: '" + text
          + "' (for example 500ms, 1.5s, 2m, or milliseconds)");
    }
  }

  /**
   * The threshold in seconds.
   *
   * @return seconds
   */
  public double seconds() {
    return threshold.getSeconds() + threshold.getNano() / 1e9;
  }

  /**
   * The objective's name, the {@code slo} dimension of its goodput.
   *
   * @return for example {@code ttft<=500ms}, {@code e2e<=20s}
   */
  public String name() {
    String short_ = switch (kpi) {
      case TIME_TO_FIRST_TOKEN -> "ttft";
      case INTER_TOKEN_LATENCY -> "itl";
      case END_TO_END_LATENCY -> "e2e";
      case QUEUE_TIME -> "queue";
      default -> kpi.id();
    };
    long ms = threshold.toMillis();
    String t = threshold.toNanos() % 1_000_000 != 0 ? (threshold.toNanos() / 1e6) + "ms"
        : ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    return short_ + "<=" + t;
  }
}
