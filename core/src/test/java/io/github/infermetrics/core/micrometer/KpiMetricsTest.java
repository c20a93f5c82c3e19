package io.github.infermetrics.core.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.snapshot.Labels;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class KpiMetricsTest {
  private static KpiSet set(String target, KpiValue... values) {
    return new KpiSet("vllm", target, Instant.EPOCH, Duration.ofSeconds(15), List.of(values));
  }

  private static KpiValue ttft(String model, double seconds) {
    return new KpiValue(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95, Labels.of(KpiDimension.MODEL, model), seconds);
  }

  @Test
  void kpisBecomeGaugesNamedLikeEverywhereElse() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    KpiMetrics metrics = new KpiMetrics(Tags.of("cluster", "prod"));
    metrics.bindTo(registry);
    metrics.update(set("pod-0", ttft("qwen3", 0.25),
        new KpiValue(Kpi.KV_CACHE_USAGE, KpiStatistic.VALUE, Labels.of(KpiDimension.MODEL, "qwen3"), 0.4)));
    assertThat(registry.get("time.to.first.token.p95").tags("model", "qwen3", "source", "vllm", "target",
        "pod-0", "cluster", "prod").gauge().value()).isEqualTo(0.25);
    assertThat(registry.get("kv.cache.usage").gauge().value()).isEqualTo(0.4);
    // the unit goes to the base unit, for each registry's naming convention
    assertThat(registry.get("time.to.first.token.p95").gauge().getId().getBaseUnit()).isEqualTo("seconds");
    assertThat(registry.get("kv.cache.usage").gauge().getId().getBaseUnit()).isEqualTo("ratio");
  }

  @Test
  void aMissingValueReadsNanThenIsRemoved() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    KpiMetrics metrics = new KpiMetrics(Tags.empty(), 2);
    metrics.bindTo(registry);
    metrics.update(set("pod-0", ttft("qwen3", 0.25)));
    metrics.update(set("pod-1", ttft("qwen3", 0.5)));
    metrics.update(set("pod-0"));
    assertThat(registry.get("time.to.first.token.p95").tag("target", "pod-0").gauge().value()).isNaN();
    assertThat(registry.get("time.to.first.token.p95").tag("target", "pod-1").gauge().value()).isEqualTo(0.5);
    metrics.update(set("pod-0", ttft("qwen3", 0.3)));
    assertThat(registry.get("time.to.first.token.p95").tag("target", "pod-0").gauge().value()).isEqualTo(0.3);
    metrics.update(set("pod-0"));
    metrics.update(set("pod-0"));
    assertThat(registry.find("time.to.first.token.p95").tag("target", "pod-0").gauge()).isNull();
    assertThat(metrics.size()).isEqualTo(1);
    metrics.close();
    assertThat(registry.getMeters()).isEmpty();
  }

  @Test
  void prometheusSpellsTheNamesItsWay() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    KpiMetrics metrics = new KpiMetrics(Tags.empty());
    metrics.bindTo(registry);
    metrics.update(set("pod-0", ttft("qwen3", 0.25)));
    assertThat(registry.scrape()).contains("time_to_first_token_p95_seconds{model=\"qwen3\",source=\"vllm\","
        + "target=\"pod-0\"} 0.25");
  }

  @Test
  void prometheusExposesRowsWhoseDimensionKeysDiffer() {
    // a model row (model) and its engine rows (model, engine) share a name: Micrometer 1.13+ on client_java 1.x
    // accepts differing tag keys in one family (older registries refused them)
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    KpiMetrics metrics = new KpiMetrics(Tags.empty());
    metrics.bindTo(registry);
    metrics.update(set("pod-0", ttft("qwen3", 0.25),
        new KpiValue(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95,
            Labels.of(KpiDimension.MODEL, "qwen3", KpiDimension.ENGINE, "1"), 0.5)));
    assertThat(registry.scrape())
        .contains("time_to_first_token_p95_seconds{model=\"qwen3\",source=\"vllm\",target=\"pod-0\"} 0.25")
        .contains("time_to_first_token_p95_seconds{engine=\"1\",model=\"qwen3\",source=\"vllm\",target=\"pod-0\"} 0.5");
  }
}
