package io.github.infermetrics.core.kpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.infermetrics.core.series.BucketCounts;
import io.github.infermetrics.core.series.BucketFraction;
import io.github.infermetrics.core.snapshot.HistogramPoint;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricPoint;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SloGoodputTest {
  /** 100 observations: 10 up to 0.1 s, 80 more up to 0.5 s, 8 more up to 2 s, 2 above. */
  private static BucketCounts buckets() {
    String text = """
        # TYPE ttft histogram
        ttft_bucket{le="0.1"} 10
        ttft_bucket{le="0.5"} 90
        ttft_bucket{le="2"} 98
        ttft_bucket{le="+Inf"} 100
        ttft_sum 30
        ttft_count 100
        """;
    MetricPoint p = new SnapshotReader().read(text.getBytes(StandardCharsets.UTF_8)).select("ttft").get(0);
    return BucketCounts.of((HistogramPoint) p);
  }

  @ParameterizedTest
  @CsvSource({
      // threshold, fraction, precision
      "0.5, 0.9, EXACT",              // a bucket bound: 90 / 100
      "0.1, 0.1, EXACT",
      "0.3, 0.5, INTERPOLATED",       // 10 + 80 * (0.3 - 0.1) / (0.5 - 0.1) = 50 of 100
      "0.05, 0.05, INTERPOLATED",     // in the first bucket, from 0: 10 * 0.05 / 0.1 = 5
      "1.25, 0.94, INTERPOLATED",     // 90 + 8 * 0.75 / 1.5 = 94
      "5, 0.98, AT_LEAST",            // above the last finite bound: 98 are under 2 s, the other 2 unknown
      "0, 0, EXACT"})
  void fractionsAreTheBucketsCumulativeShares(double threshold, double fraction, BucketFraction.Precision p) {
    BucketFraction f = buckets().fractionAtMost(threshold).orElseThrow();
    assertThat(f.value()).isCloseTo(fraction, within(1e-12));
    assertThat(f.precision()).isEqualTo(p);
  }

  @Test
  void aWindowWithoutObservationsHasNoFraction() {
    BucketCounts b = buckets();
    assertThat(BucketCounts.increase(histogram(b), histogram(b)).fractionAtMost(0.5)).isEmpty();
  }

  private static HistogramPoint histogram(BucketCounts b) {
    String text = "# TYPE ttft histogram\nttft_bucket{le=\"0.1\"} 10\nttft_bucket{le=\"+Inf\"} 100\n"
        + "ttft_count 100\nttft_sum 3\n";
    return (HistogramPoint) new SnapshotReader().read(text.getBytes(StandardCharsets.UTF_8)).select("ttft").get(0);
  }

  @Test
  void scaledBucketsKeepTheirCounts() {
    BucketCounts ms = buckets().scaled(1000);
    assertThat(ms.upperBound(1)).isEqualTo(500);
    assertThat(ms.fractionAtMost(300).orElseThrow().value()).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void goodputPerObjectiveAndHistogram() {
    Labels qwen = Labels.of(KpiDimension.MODEL, "qwen");
    KpiWindow w = new KpiWindow() {
      @Override
      public String source() {
        return "x";
      }

      @Override
      public Duration window() {
        return Duration.ofSeconds(10);
      }

      @Override
      public List<MeasureValue> values() {
        return List.of();
      }

      @Override
      public List<KpiTable> tables() {
        return List.of();
      }

      @Override
      public List<WindowHistogram> histograms() {
        return List.of(new WindowHistogram(Kpi.TIME_TO_FIRST_TOKEN, qwen, buckets()),
            new WindowHistogram(Kpi.END_TO_END_LATENCY, qwen, buckets()));
      }
    };
    List<MeasureValue> g = SloGoodput.of(Slo.parseAll("ttft=300ms,e2e=20s"), w);
    assertThat(g).extracting(v -> v.dimensions().get(KpiDimension.SLO)).containsExactly("ttft<=300ms", "e2e<=20s");
    assertThat(g.get(0).value()).isCloseTo(0.5, within(1e-12));   // 10 + 80 * 0.2 / 0.4 = 50 of 100
    assertThat(g.get(1).value()).isEqualTo(0.98);
    assertThat(g.get(0).bound()).isEmpty();
    assertThat(g.get(1).bound()).contains(Bound.above(0.98));     // at least 98 % met it
    assertThat(g.get(0).measure().columnName()).isEqualTo("slo_goodput_ratio");
  }

  @Test
  void objectivesAreWrittenLikeVllmsGoodputFlag() {
    assertThat(Slo.parseAll("ttft=500ms,itl=50ms,e2e=20s")).extracting(Slo::name)
        .containsExactly("ttft<=500ms", "itl<=50ms", "e2e<=20s");
    assertThat(Slo.parse("tpot:50").kpi()).isEqualTo(Kpi.INTER_TOKEN_LATENCY);     // vllm bench serve --goodput
    assertThat(Slo.parse("e2el:2000").threshold()).isEqualTo(Duration.ofSeconds(2)); // a bare number is ms
    assertThat(Slo.parse("queue=1.5s").seconds()).isEqualTo(1.5);
    assertThatThrownBy(() -> Slo.parse("ttfb=1s")).hasMessageContaining("unknown latency 'ttfb'");
    assertThatThrownBy(() -> Slo.parse("ttft=fast")).hasMessageContaining("not a duration: 'fast'");
    assertThatThrownBy(() -> Slo.parse("ttft=-1s")).hasMessageContaining("positive");
    assertThatThrownBy(() -> Slo.parseAll("ttft=1s,ttft=2s")).hasMessageContaining("given twice");
    assertThatThrownBy(() -> Slo.parse("ttft")).hasMessageContaining("NAME=DURATION");
  }

  @Test
  void saturationIsTheLargestOfQueuePressureKvCacheAndAccelerator() {
    Labels a = Labels.of(KpiDimension.MODEL, "a");
    Labels b = Labels.of(KpiDimension.MODEL, "b");
    KpiSet set = KpiSet.builder("vllm", "t", Instant.EPOCH, Duration.ofSeconds(10))
        .add(Kpi.QUEUE_DEPTH, KpiStatistic.VALUE, a, 2)
        .add(Kpi.BATCH_SIZE, KpiStatistic.VALUE, a, 6)                 // 2 of 8 waiting: 0.25
        .add(Kpi.KV_CACHE_USAGE, KpiStatistic.VALUE, a, 0.6)           // the KV cache is fuller: 0.6
        .add(Kpi.KV_CACHE_USAGE, KpiStatistic.VALUE, a.with(KpiDimension.ENGINE, "0"), 0.99) // an engine: not a model
        .add(Kpi.QUEUE_DEPTH, KpiStatistic.VALUE, b, 0)
        .add(Kpi.BATCH_SIZE, KpiStatistic.VALUE, b, 0)                 // idle
        .build();
    assertThat(Saturation.of(set, OptionalDouble.empty())).extracting(v -> v.dimensions().get("model") + "="
        + v.value()).containsExactly("a=0.6", "b=0.0");
    assertThat(Saturation.of(set, OptionalDouble.of(0.7))).extracting(MeasureValue::value).containsExactly(0.7, 0.7);
  }
}
