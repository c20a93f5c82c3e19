package io.github.infermetrics.tgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.infermetrics.core.kpi.Bound;
import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiTable;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.kpi.LatencyStats;
import io.github.infermetrics.core.kpi.Measure;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.testing.LaterCapture;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every expectation is computed by hand in the comment beside it; percentiles as PromQL's
 * {@code histogram_quantile}: rank = q x count, the first bucket whose cumulative count reaches the rank,
 * interpolated linearly inside it (from 0 in the first bucket). TGI's duration buckets are 0.0001 x 1.5^k; the
 * bounds used are written out as TGI prints them.
 */
class TgiKpisTest {
  static final Map<String, String> NONE = Map.of();
  static final Map<String, String> PREFILL = Map.of("method", "prefill");
  static final Map<String, String> DECODE = Map.of("method", "decode");

  /** The DataDog fixture and a capture 10 s later with known traffic. */
  static TgiKpis fixtureAndTenSecondsLater() {
    String earlier = Captures.fixture();
    LaterCapture later = new LaterCapture(earlier)
        .add("tgi_request_count", 12)
        .add("tgi_request_success", 10)
        .add("tgi_request_failure{err=\"validation\"}", 1)
        // the first overloaded request: TGI writes the series now, from zero
        .insertAfter("tgi_request_failure{err=\"validation\"}", "tgi_request_failure{err=\"overloaded\"} 1")
        .set("tgi_queue_size", 3)
        .set("tgi_batch_current_size", 8)
        .set("tgi_batch_current_max_tokens", 1200)
        .observe("tgi_request_input_length", NONE, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10)
        .observe("tgi_request_generated_tokens", NONE, 40, 40, 40, 40, 40, 40, 40, 40, 40, 40)
        .observe("tgi_request_max_new_tokens", NONE, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50)
        .observe("tgi_request_duration", NONE, 1.5, 1.5, 3, 3, 3, 3, 3, 6, 6, 6)
        .observe("tgi_request_queue_duration", NONE, 0.0001, 0.0001, 0.0001, 0.0001, 0.0001, 0.0001, 0.2, 0.2, 0.2,
            0.2)
        .observe("tgi_request_validation_duration", NONE, 0.0002, 0.0002, 0.0002, 0.0002, 0.0002, 0.0002, 0.0002,
            0.0002, 0.0002, 0.0002)
        .observe("tgi_request_mean_time_per_token_duration", NONE, 0.025, 0.025, 0.025, 0.025, 0.025, 0.025,
            0.025, 0.025, 0.025, 0.025)
        .observe("tgi_request_inference_duration", NONE, 3.5, 3.5, 3.5, 3.5, 3.5, 3.5, 3.5, 3.5, 3.5, 3.5)
        .observe("tgi_batch_forward_duration", PREFILL, 0.08, 0.08, 0.08, 0.08)
        .observe("tgi_batch_forward_duration", DECODE, repeat(0.05, 400))
        .observe("tgi_batch_decode_duration", DECODE, repeat(0.0001, 400))
        .observe("tgi_batch_next_size", NONE, 2, 3, 2, 3)
        .add("tgi_batch_inference_count{method=\"prefill\"}", 4)
        .add("tgi_batch_inference_count{method=\"decode\"}", 400)
        .add("tgi_batch_inference_success{method=\"prefill\"}", 4)
        .add("tgi_batch_inference_success{method=\"decode\"}", 399);
    return TgiKpis.between(Captures.text(earlier), Captures.text(later.text()), 10);
  }

  @Test
  void fixturePlusKnownTrafficGivesHandComputedKpis() {
    TgiKpis k = fixtureAndTenSecondsLater();
    assertThat(k.resetDetected()).isFalse();
    assertValue(k.get(TgiMeasure.GOODPUT), 1.0);                   // 10 successes in 10 s
    assertValue(k.get(TgiMeasure.REQUEST_RATE), 1.2);              // (10 + 1 + 1) / 10
    assertValue(k.get(TgiMeasure.ERROR_RATE), 0.2);
    assertValue(k.get(TgiMeasure.ERROR_RATIO), 1.0 / 6);           // 2 / 12
    assertValue(k.get(TgiMeasure.ARRIVAL_RATE), 1.2);              // tgi_request_count + 12
    assertThat(k.failureRateByReason()).containsOnlyKeys("validation", "overloaded");
    assertThat(k.failureRateByReason().get("validation")).isCloseTo(0.1, within(1e-12));
    assertThat(k.failureRateByReason().get("overloaded")).isCloseTo(0.1, within(1e-12)); // new series, from 0
    assertValue(k.get(TgiMeasure.PROMPT_TOKEN_RATE), 8);           // input lengths sum to 80
    assertValue(k.get(TgiMeasure.GENERATION_TOKEN_RATE), 40);      // 10 x 40
    assertValue(k.get(TgiMeasure.PROMPT_TOKENS_PER_REQUEST), 8);
    assertValue(k.get(TgiMeasure.GENERATION_TOKENS_PER_REQUEST), 40);
    assertValue(k.get(TgiMeasure.MAX_NEW_TOKENS_PER_REQUEST), 50);
    assertValue(k.get(TgiMeasure.NEXT_BATCH_SIZE), 2.5);           // (2 + 3 + 2 + 3) / 4
    assertValue(k.get(TgiMeasure.QUEUE_SIZE), 3);
    assertValue(k.get(TgiMeasure.BATCH_SIZE), 8);
    assertValue(k.get(TgiMeasure.QUEUE_PRESSURE), 3.0 / 11);
    assertValue(k.get(TgiMeasure.BATCH_MAX_TOKENS), 1200);
    // this TGI has no tgi_batch_max_total_tokens (TGI 3): no budget, no budget usage
    assertThat(k.get(TgiMeasure.BATCH_TOKEN_BUDGET)).isEmpty();
    assertThat(k.get(TgiMeasure.BATCH_TOKEN_BUDGET_USAGE)).isEmpty();

    // end-to-end: 2 x 1.5 in (1.1223, 1.6834], 5 x 3 in (2.5251, 3.7877], 3 x 6 in (5.6815, 8.5223]; sum 36
    // p50: rank 5, 2 below, 5 in the bucket: 2.5251168294042348 + (3.787675244106352 - 2.5251168294042348) x 3/5
    // p90: rank 9, 7 below, 3 in (5.681512866159528, 8.52226929923929]: x 2/3; p95: x 2.5/3; p99: x 2.9/3
    assertStats(k.latency(TgiLatency.END_TO_END_LATENCY), 1.0, 3.6, between(2.5251168294042348, 3.787675244106352,
        0.6), between(5.681512866159528, 8.52226929923929, 2.0 / 3), between(5.681512866159528, 8.52226929923929,
        2.5 / 3), between(5.681512866159528, 8.52226929923929, 2.9 / 3));
    // queue: 6 x 0.0001 in the first bucket (le 0.00015), 4 x 0.2 in (0.14779, 0.22168]; sum 0.8006
    // p50: rank 5 in the first bucket: 0.00015 x 5/6 = 0.000125, only "at most 0.00015"
    // p90: rank 9, 6 below, 4 in it: 0.14778918800354002 + (0.22168378200531003 - 0.14778918800354002) x 3/4
    LatencyStats queue = k.latency(TgiLatency.QUEUE_TIME);
    assertStats(queue, 1.0, 0.08006, 0.000125, between(0.14778918800354002, 0.22168378200531003, 0.75),
        between(0.14778918800354002, 0.22168378200531003, 3.5 / 4),
        between(0.14778918800354002, 0.22168378200531003, 3.9 / 4));
    assertThat(queue.bound(KpiStatistic.P50)).contains(Bound.atMost(0.00015000000000000001));
    // validation: 10 x 0.0002 in (0.00015, 0.000225]: mean 0.0002, p50 halfway
    assertStats(k.latency(TgiLatency.VALIDATION_TIME), 1.0, 0.0002,
        between(0.00015000000000000001, 0.00022500000000000002, 0.5),
        between(0.00015000000000000001, 0.00022500000000000002, 0.9),
        between(0.00015000000000000001, 0.00022500000000000002, 0.95),
        between(0.00015000000000000001, 0.00022500000000000002, 0.99));
    // each request's mean time per token: 10 x 0.025 in (0.019462, 0.029193]
    assertStats(k.latency(TgiLatency.INTER_TOKEN_LATENCY), 1.0, 0.025,
        between(0.01946195068359375, 0.029192926025390625, 0.5),
        between(0.01946195068359375, 0.029192926025390625, 0.9),
        between(0.01946195068359375, 0.029192926025390625, 0.95),
        between(0.01946195068359375, 0.029192926025390625, 0.99));
    assertValue(k.latency(TgiLatency.INFERENCE_TIME).mean(), 3.5);

    // batches: prefill 4 forward passes of 0.08 s in (0.065684, 0.098526], decode 400 of 0.05 s
    assertThat(k.methods()).containsExactlyInAnyOrder("prefill", "decode");
    LatencyStats prefill = k.latency(TgiLatency.BATCH_FORWARD_TIME, "prefill");
    assertStats(prefill, 0.4, 0.08, between(0.0656840835571289, 0.09852612533569335, 0.5),
        between(0.0656840835571289, 0.09852612533569335, 0.9), between(0.0656840835571289, 0.09852612533569335,
            0.95), between(0.0656840835571289, 0.09852612533569335, 0.99));
    assertValue(k.latency(TgiLatency.BATCH_FORWARD_TIME, "decode").mean(), 0.05);
    // detokenizing: 400 x 0.0001 in the first bucket: p50 = 0.00015 x 200/400, at most 0.00015
    LatencyStats detokenize = k.latency(TgiLatency.BATCH_DECODE_TIME, "decode");
    assertValue(detokenize.p50(), 0.000075);
    assertThat(detokenize.bound(KpiStatistic.P50)).contains(Bound.atMost(0.00015000000000000001));
    assertValue(k.get(TgiMeasure.BATCH_RATE, "prefill"), 0.4);
    assertValue(k.get(TgiMeasure.BATCH_RATE, "decode"), 40);
    assertValue(k.get(TgiMeasure.BATCH_FAILURE_RATE, "prefill"), 0);
    assertValue(k.get(TgiMeasure.BATCH_FAILURE_RATE, "decode"), 0.1); // 400 calls, 399 succeeded

    // no TTFT: what TGI measures of it, mean queue 0.08006 + mean validation 0.0002 + mean prefill forward 0.08
    assertValue(k.get(TgiMeasure.TIME_TO_FIRST_TOKEN_FLOOR), 0.16026);
  }

  @Test
  void theSharedKpisAreVllmsNamesWithoutTimeToFirstTokenOrKvCache() {
    KpiSet set = fixtureAndTenSecondsLater().toKpiSet("tgi-0:8080", Instant.EPOCH);
    assertThat(set.source()).isEqualTo("tgi");
    Set<String> server = new TreeSet<>();
    for (KpiValue v : set.values()) {
      if (v.dimensions().isEmpty()) {
        server.add(v.metricName());
      }
    }
    List<String> expected = new ArrayList<>(List.of("request_rate_per_second", "error_rate_per_second",
        "error_ratio", "prompt_token_rate_per_second", "generation_token_rate_per_second", "batch_size",
        "queue_depth"));
    for (Kpi kpi : List.of(Kpi.END_TO_END_LATENCY, Kpi.QUEUE_TIME, Kpi.INTER_TOKEN_LATENCY)) {
      for (KpiStatistic s : LatencyStats.STATISTICS) {
        expected.add(kpi.metricName(s));
      }
    }
    assertThat(server).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(set.values()).noneMatch(v -> v.kpi() == Kpi.TIME_TO_FIRST_TOKEN || v.kpi() == Kpi.KV_CACHE_USAGE);
    // the floor is TGI's own measure, never the KPI
    assertThat(TgiMeasure.TIME_TO_FIRST_TOKEN_FLOOR.kpi()).isEmpty();
    assertThat(TgiMeasure.TIME_TO_FIRST_TOKEN_FLOOR.columnName()).isEqualTo("time_to_first_token_floor_seconds_mean");
  }

  @Test
  void aFreshTgi3ServerCountsItsFirstSeriesFromZero() {
    // hand-made, TGI 3 (tgi_batch_max_total_tokens): at the first scrape nothing had been served, so TGI had
    // written its gauges only; 5 s later 5 requests came, 4 succeeded, 1 was dropped by its client
    String prev = """
        # TYPE tgi_queue_size gauge
        tgi_queue_size 0
        # TYPE tgi_batch_current_size gauge
        tgi_batch_current_size 0
        # TYPE tgi_batch_current_max_tokens gauge
        tgi_batch_current_max_tokens 0
        # TYPE tgi_batch_max_total_tokens gauge
        tgi_batch_max_total_tokens 16000
        """;
    String curr = prev.replace("tgi_queue_size 0", "tgi_queue_size 2")
        .replace("tgi_batch_current_size 0", "tgi_batch_current_size 3")
        .replace("tgi_batch_current_max_tokens 0", "tgi_batch_current_max_tokens 4000") + """
        # TYPE tgi_request_count counter
        tgi_request_count 5
        # TYPE tgi_request_success counter
        tgi_request_success 4
        # TYPE tgi_request_failure counter
        tgi_request_failure{err="dropped"} 1
        # TYPE tgi_request_duration histogram
        tgi_request_duration_bucket{le="0.5"} 1
        tgi_request_duration_bucket{le="1"} 3
        tgi_request_duration_bucket{le="+Inf"} 4
        tgi_request_duration_sum 3.1
        tgi_request_duration_count 4
        # TYPE tgi_request_input_length histogram
        tgi_request_input_length_bucket{le="10"} 4
        tgi_request_input_length_bucket{le="+Inf"} 4
        tgi_request_input_length_sum 30
        tgi_request_input_length_count 4
        # TYPE tgi_request_generated_tokens histogram
        tgi_request_generated_tokens_bucket{le="32"} 4
        tgi_request_generated_tokens_bucket{le="+Inf"} 4
        tgi_request_generated_tokens_sum 80
        tgi_request_generated_tokens_count 4
        """;
    TgiKpis k = TgiKpis.between(Captures.text(prev), Captures.text(curr), 5);
    assertValue(k.get(TgiMeasure.REQUEST_RATE), 1.0);              // (4 + 1) / 5
    assertValue(k.get(TgiMeasure.ERROR_RATIO), 0.2);
    assertThat(k.failureRateByReason()).containsExactly(Map.entry("dropped", 0.2));
    assertValue(k.get(TgiMeasure.PROMPT_TOKEN_RATE), 6);           // 30 / 5
    assertValue(k.get(TgiMeasure.GENERATION_TOKEN_RATE), 16);      // 80 / 5
    assertValue(k.get(TgiMeasure.BATCH_TOKEN_BUDGET), 16000);
    assertValue(k.get(TgiMeasure.BATCH_TOKEN_BUDGET_USAGE), 0.25); // 4000 / 16000
    // 4 requests: 1 in (0, 0.5], 2 in (0.5, 1], 1 above 1; mean 3.1 / 4
    // p50: rank 2, 1 below, 2 in (0.5, 1]: 0.5 + 0.5 x 1/2 = 0.75; p90: rank 3.6 in +Inf: 1, a lower bound
    LatencyStats e2e = k.latency(TgiLatency.END_TO_END_LATENCY);
    assertStats(e2e, 0.8, 0.775, 0.75, 1, 1, 1);
    assertThat(e2e.bound(KpiStatistic.P90)).contains(Bound.above(1));
    // no queue or validation histogram yet: no floor
    assertThat(k.get(TgiMeasure.TIME_TO_FIRST_TOKEN_FLOOR)).isEmpty();

    // before any request: rates 0 (TGI has counted nothing), latencies and per-request means absent
    TgiKpis idle = TgiKpis.between(Captures.text(prev), Captures.text(prev), 5);
    assertValue(idle.get(TgiMeasure.REQUEST_RATE), 0);
    assertValue(idle.get(TgiMeasure.GENERATION_TOKEN_RATE), 0);
    assertThat(idle.get(TgiMeasure.ERROR_RATIO)).isEmpty();
    assertThat(idle.get(TgiMeasure.PROMPT_TOKENS_PER_REQUEST)).isEmpty();
    assertThat(idle.latency(TgiLatency.END_TO_END_LATENCY)).isEqualTo(LatencyStats.ABSENT);
  }

  @Test
  void tablesAndValuesCarryMethodAndReason() {
    TgiKpis k = fixtureAndTenSecondsLater();
    List<KpiTable> tables = k.tables();
    assertThat(tables).extracting(KpiTable::name).containsExactly("server", "methods", "failures", "latencies");
    KpiTable server = tables.get(0);
    assertThat(server.keys()).isEmpty();
    assertThat(server.rows().get(0).value(server, "time_to_first_token_floor_seconds_mean")).isPresent();
    assertThat(tables.get(1).rows()).extracting(r -> r.key().get("method")).containsExactly("prefill", "decode");
    assertThat(tables.get(2).rows()).extracting(r -> r.key().get("reason")).containsExactly("validation",
        "overloaded");
    KpiTable latencies = tables.get(3);
    assertThat(latencies.rows()).extracting(r -> r.key().toString()).contains("{latency=\"queue_time\"}",
        "{latency=\"batch_forward_time\",method=\"prefill\"}");
    assertThat(k.values()).anyMatch(v -> v.measure() == TgiLatencyMeasure.of(TgiLatency.BATCH_FORWARD_TIME,
        KpiStatistic.P95) && v.dimensions().equals(Labels.of("method", "decode")));
    assertThat(k.values()).filteredOn(v -> v.measure() == TgiMeasure.FAILURE_RATE)
        .extracting(v -> v.dimensions().get("reason")).containsExactly("validation", "overloaded");
  }

  @Test
  void measuresAreWellDeclared() {
    for (TgiMeasure m : TgiMeasure.values()) {
      Measure.check(m);
    }
    for (TgiLatency l : TgiLatency.values()) {
      for (KpiStatistic s : LatencyStats.STATISTICS) {
        Measure.check(TgiLatencyMeasure.of(l, s));
      }
    }
    assertThat(TgiMeasure.QUEUE_SIZE.columnName()).isEqualTo("queue_depth");
    assertThat(TgiLatencyMeasure.of(TgiLatency.INTER_TOKEN_LATENCY, KpiStatistic.P95).columnName())
        .isEqualTo("inter_token_latency_seconds_p95");
  }

  static double between(double lower, double upper, double share) {
    return lower + (upper - lower) * share;
  }

  static double[] repeat(double value, int times) {
    double[] out = new double[times];
    java.util.Arrays.fill(out, value);
    return out;
  }

  static void assertValue(OptionalDouble v, double expected) {
    assertThat(v).isPresent();
    assertThat(v.getAsDouble()).isCloseTo(expected, within(1e-9));
  }

  static void assertStats(LatencyStats s, double perSecond, double mean, double p50, double p90, double p95,
      double p99) {
    double[] expected = {perSecond, mean, p50, p90, p95, p99};
    OptionalDouble[] actual = {s.perSecond(), s.mean(), s.p50(), s.p90(), s.p95(), s.p99()};
    String[] names = {"per second", "mean", "p50", "p90", "p95", "p99"};
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i]).as(names[i]).isPresent();
      assertThat(actual[i].getAsDouble()).as(names[i]).isCloseTo(expected[i], within(1e-9));
    }
  }
}
