package io.github.infermetrics.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.snapshot.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmfWriterTest {
  static final long NOW = 1_700_000_000_000L;

  private final CapturingSink sink = new CapturingSink();

  private EmfWriter.Builder builder() {
    return EmfWriter.builder("Inference").sink(sink).clock(() -> NOW);
  }

  @Test
  void writesOneEventExactly() {
    EmfWriter w = builder().defaultDimension("cluster", "prod").build();
    w.begin(NOW)
        .dimension("model", "qwen3")
        .dimensionSet("model")
        .metric("ttft_p95", "Seconds", 0.231)
        .metric("tokens", "Count", new double[] {12, 40, 7}, 0, 3)
        .metric("hot", "Count/Second", 2.5, 1)
        .property("requestId", "989ffbf8")
        .property("cached", true)
        .property("attempt", 3L)
        .propertyJson("extra", "{\"a\": [1,\n 2]}")
        .end();

    assertThat(sink.lines()).containsExactly("""
        {"cluster":"prod","model":"qwen3","requestId":"989ffbf8","cached":true,"attempt":3,"extra":{"a": [1,  2]},\
        "ttft_p95":0.231,"tokens":[12,40,7],"hot":2.5,\
        "_aws":{"Timestamp":1700000000000,"CloudWatchMetrics":[{"Namespace":"Inference",\
        "Dimensions":[["cluster","model"]],"Metrics":[{"Name":"ttft_p95","Unit":"Seconds"},\
        {"Name":"tokens","Unit":"Count"},{"Name":"hot","Unit":"Count/Second","StorageResolution":1}]}]}}""");
    assertThat(sink.timestamps).containsExactly(NOW);
    assertThat(w.eventsWritten()).isEqualTo(1);
  }

  @Test
  void withoutDimensionSetsTheDefaultsOrNoDimensionsAreTheSet() {
    builder().defaultDimension("cluster", "prod").build().begin(NOW).metric("m", "None", 1).end();
    builder().build().begin(NOW).metric("m", "None", 1).end();
    List<ObjectNode> e = sink.parsed();
    assertThat(e.get(0).at("/_aws/CloudWatchMetrics/0/Dimensions").toString()).isEqualTo("[[\"cluster\"]]");
    assertThat(e.get(1).at("/_aws/CloudWatchMetrics/0/Dimensions").toString()).isEqualTo("[[]]");
  }

  @Test
  void anEventDimensionReplacesTheDefaultValue() {
    EmfWriter w = builder().defaultDimension("cluster", "prod").build();
    w.begin(NOW).dimension("cluster", "canary").dimensionSet("cluster").metric("m", "None", 1).end();
    ObjectNode e = sink.parsed().get(0);
    assertThat(e.get("cluster").asText()).isEqualTo("canary");
    assertThat(e.at("/_aws/CloudWatchMetrics/0/Dimensions").toString()).isEqualTo("[[\"cluster\"]]");
  }

  @Test
  void repeatedMetricBecomesAnArray() {
    builder().build().begin(NOW).metric("lat", "Milliseconds", 1).metric("lat", "Milliseconds", 2.5).end();
    assertThat(sink.parsed().get(0).get("lat").toString()).isEqualTo("[1,2.5]");
  }

  @Test
  void nonFiniteValuesAreDroppedAndCounted() {
    EmfWriter w = builder().build();
    w.begin(NOW)
        .metric("a", "None", Double.NaN)
        .metric("b", "None", Double.POSITIVE_INFINITY)
        .metric("c", "None", new double[] {1, Double.NEGATIVE_INFINITY, 3}, 0, 3)
        .property("p", Double.NaN)
        .end();
    // a and b lose their only value and are left out; c keeps 1 and 3; the property becomes null: 4 dropped
    ObjectNode e = sink.parsed().get(0);
    assertThat(e.has("a")).isFalse();
    assertThat(e.has("b")).isFalse();
    assertThat(e.get("c").toString()).isEqualTo("[1,3]");
    assertThat(e.get("p").isNull()).isTrue();
    assertThat(e.at("/_aws/CloudWatchMetrics/0/Metrics").size()).isEqualTo(1);
    assertThat(w.nonFiniteDropped()).isEqualTo(4);
  }

  @Test
  void anEventWithNothingInItIsNotWritten() {
    EmfWriter w = builder().build();
    w.begin(NOW).metric("a", "None", Double.NaN).end();
    assertThat(sink.events).isEmpty();
    // properties alone are a log line with no metric directive
    w.begin(NOW).property("note", "only context").end();
    assertThat(sink.lines()).containsExactly(
        "{\"note\":\"only context\",\"_aws\":{\"Timestamp\":1700000000000,\"CloudWatchMetrics\":[]}}");
  }

  @Test
  void moreThan100MetricsSplitIntoEventsWithTheSameDimensionsAndProperties() {
    EmfWriter w = builder().build();
    EmfWriter.Event e = w.begin(NOW).dimension("model", "m1").dimensionSet("model").property("run", "r1");
    for (int i = 0; i < 250; i++) {
      e.metric("metric_" + i, "Count", i);
    }
    e.end();
    // 250 metrics = 100 + 100 + 50
    List<ObjectNode> events = sink.parsed();
    assertThat(events).hasSize(3);
    assertThat(events).extracting(x -> x.at("/_aws/CloudWatchMetrics/0/Metrics").size())
        .containsExactly(100, 100, 50);
    assertThat(events).allSatisfy(x -> {
      assertThat(x.get("model").asText()).isEqualTo("m1");
      assertThat(x.get("run").asText()).isEqualTo("r1");
    });
    Map<String, List<Double>> values = EmfCheck.metricValues(events);
    assertThat(values).hasSize(250);
    assertThat(values.get("metric_249")).containsExactly(249.0);
    assertThat(w.eventsSplit()).isEqualTo(2);
  }

  @Test
  void moreThan100ValuesSplitIntoEvents() {
    double[] v = new double[230];
    for (int i = 0; i < v.length; i++) {
      v[i] = i * 0.5;
    }
    EmfWriter w = builder().build();
    w.begin(NOW).metric("other", "None", 7).metric("lat", "Seconds", v, 0, v.length).end();
    // lat: 100 + 100 + 30 values; "other" rides in the first event
    List<ObjectNode> events = sink.parsed();
    assertThat(events).extracting(x -> x.path("lat").size()).containsExactly(100, 100, 30);
    assertThat(EmfCheck.metricValues(events).get("lat")).hasSize(230).startsWith(0.0, 0.5).endsWith(114.5);
    assertThat(EmfCheck.metricValues(events).get("other")).containsExactly(7.0);
    assertThat(w.eventsSplit()).isEqualTo(2);
  }

  @Test
  void eventsLargerThanTheLimitAreSplitBySize() {
    CapturingSink small = new CapturingSink(4096);
    EmfWriter w = EmfWriter.builder("Inference").sink(small).maxEventBytes(4096).clock(() -> NOW).build();
    EmfWriter.Event e = w.begin(NOW).property("note", "x".repeat(1000));
    for (int i = 0; i < 90; i++) {
      e.metric("a_rather_long_metric_name_for_size_" + i, "Bytes", 1234567.891 + i);
    }
    e.end();
    // each metric costs about 2 * 38 (name twice) + 11 (value) + 27 (definition) bytes: ~30 fit beside the note
    assertThat(small.events.size()).isGreaterThan(2);
    assertThat(small.events).allSatisfy(b -> assertThat(b.length).isLessThanOrEqualTo(4096));
    assertThat(EmfCheck.metricValues(small.parsed())).hasSize(90);
    assertThat(w.eventsSplit()).isEqualTo(small.events.size() - 1);
  }

  @Test
  void dimensionsAndPropertiesThatCannotFitAreDroppedAndCounted() {
    EmfWriter w = EmfWriter.builder("Inference").sink(sink).maxEventBytes(4096).clock(() -> NOW).build();
    w.begin(NOW).property("note", "x".repeat(5000)).metric("m", "None", 1).end();
    assertThat(sink.events).isEmpty();
    assertThat(w.eventsDropped()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(longs = {-15L * 24 * 3600 * 1000, 3L * 3600 * 1000})
  void timestampsOutsideCloudWatchsWindowAreDroppedAndCounted(long offset) {
    EmfWriter w = builder().build();
    w.begin(NOW + offset).metric("m", "None", 1).end();
    assertThat(sink.events).isEmpty();
    assertThat(w.eventsDropped()).isEqualTo(1);
  }

  @Test
  void stringsAreEscaped() {
    String nasty = "q\"b\\s/\n\r\t\b\f\u0001\u001f é € 😀 lone\uD800 end\uDC00";
    builder().build().begin(NOW).dimension("d", nasty).dimensionSet("d").property("p\u0000k", nasty)
        .metric("m \"quoted\"", "None", 1).end();
    String line = sink.lines().get(0);
    assertThat(line).contains("\"q\\\"b\\\\s/\\n\\r\\t\\b\\f\\u0001\\u001f é € 😀 lone\uFFFD end\uFFFD\"");
    ObjectNode e = sink.parsed().get(0);
    String expected = nasty.replace('\uD800', '\uFFFD').replace('\uDC00', '\uFFFD');
    assertThat(e.get("d").asText()).isEqualTo(expected);
    assertThat(e.get("p\u0000k").asText()).isEqualTo(expected);
    assertThat(e.get("m \"quoted\"").asDouble()).isEqualTo(1.0);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0, -0.0, 1, -1, 0.1, 1e-7, 123456.789, 2.466666666666667, 9.007199254740993E15,
      1e300, -4.9e-324, Double.MAX_VALUE, Double.MIN_NORMAL, 1.7976931348623157e308, 5e-324})
  void numbersParseBackToTheSameDouble(double v) throws Exception {
    builder().build().begin(NOW).metric("m", "None", v).end();
    JsonNode n = EmfCheck.JSON.readTree(sink.events.get(0)).get("m");
    assertThat(Double.compare(n.asDouble(), v)).isZero();
  }

  @Test
  void callerMistakesThrowNamingTheField() {
    EmfWriter w = builder().build();
    assertThatThrownBy(() -> w.begin(NOW).metric("m", "Secs", 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("metric \"m\"").hasMessageContaining("unit \"Secs\"");
    assertThatThrownBy(() -> w.begin(NOW).metric("m", "None", 1, 5))
        .hasMessageContaining("storage resolution must be 1 or 60");
    assertThatThrownBy(() -> w.begin(NOW).metric(" ", "None", 1)).hasMessageContaining("empty or blank");
    assertThatThrownBy(() -> w.begin(NOW).metric("x".repeat(1025), "None", 1)).hasMessageContaining("1024");
    assertThatThrownBy(() -> w.begin(NOW).metric("a\nb", "None", 1)).hasMessageContaining("control character");
    assertThatThrownBy(() -> w.begin(NOW).metric("a\u2028b", "None", 1)).hasMessageContaining("line terminator");
    // found by the property test: the schema validator refuses NUL in names
    assertThatThrownBy(() -> w.begin(NOW).metric("\u0000", "None", 1)).hasMessageContaining("(U+0000)");
    assertThatThrownBy(() -> w.begin(NOW).metric("a\uD800", "None", 1)).hasMessageContaining("lone surrogate");
    assertThatThrownBy(() -> w.begin(NOW).property("a\uDC00", 1L)).hasMessageContaining("lone surrogate");
    assertThatThrownBy(() -> w.begin(NOW).dimension("k", "v".repeat(1025))).hasMessageContaining("1024");
    assertThatThrownBy(() -> w.begin(NOW).dimension("k", "")).hasMessageContaining("blank");
    assertThatThrownBy(() -> w.begin(NOW).dimension(":k", "v")).hasMessageContaining("':'");
    assertThatThrownBy(() -> w.begin(NOW).dimension("kä", "v")).hasMessageContaining("printable ASCII");
    assertThatThrownBy(() -> w.begin(NOW).dimension("k".repeat(251), "v")).hasMessageContaining("250");
    assertThatThrownBy(() -> w.begin(NOW).property("_aws", "x")).hasMessageContaining("reserved");
    assertThatThrownBy(() -> w.begin(NOW).dimension("Service", "x")).hasMessageContaining("reserved");
    assertThatThrownBy(() -> w.begin(NOW).metric("K8s.Pod", "None", 1)).hasMessageContaining("reserved");
    assertThatThrownBy(() -> w.begin(NOW).dimension("a", "1").metric("a", "None", 1))
        .hasMessageContaining("metric \"a\": the name is already a dimension");
    assertThatThrownBy(() -> w.begin(NOW).metric("a", "None", 1).property("a", "x"))
        .hasMessageContaining("already a metric");
    assertThatThrownBy(() -> w.begin(NOW).metric("a", "None", 1).metric("a", "Count", 1))
        .hasMessageContaining("added before with unit None");
    assertThatThrownBy(() -> w.begin(NOW).dimensionSet("model").metric("m", "None", 1).end())
        .hasMessageContaining("dimensionSet names \"model\", which has no value");
    assertThatThrownBy(() -> w.begin(NOW).property("p", "1").dimensionSet("p").metric("m", "None", 1).end())
        .hasMessageContaining("is a property, not a dimension");
    assertThatThrownBy(() -> w.begin(NOW).propertyJson("j", "{\"a\":}"))
        .hasMessageContaining("not one JSON value (at offset 5 near \"}\")");
    assertThatThrownBy(() -> w.begin(NOW).dimensionSet("a", "a")).hasMessageContaining("named twice");
    assertThatThrownBy(() -> w.begin(-1)).hasMessageContaining("negative");
    w.begin(NOW);
    assertThatThrownBy(() -> w.begin(NOW)).isInstanceOf(IllegalStateException.class);
    // after all of that the writer is still usable and nothing was written
    assertThat(sink.events).isEmpty();
    w.begin(NOW).metric("m", "None", 1).end();
    assertThat(sink.events).hasSize(1);
  }

  @Test
  void dimensionSetsHoldAtMost30KeysWithTheDefaults() {
    EmfWriter.Builder b = builder();
    for (int i = 0; i < 28; i++) {
      b.defaultDimension("d" + i, "v");
    }
    EmfWriter w = b.build();
    EmfWriter.Event e = w.begin(NOW).dimension("a", "1").dimension("b", "2").dimension("c", "3");
    e.dimensionSet("a", "b"); // 30 keys: fine
    assertThatThrownBy(() -> e.dimensionSet("a", "b", "c")).hasMessageContaining("more than 30 keys");
  }

  @Test
  void builderRejectsBadConfiguration() {
    assertThatThrownBy(() -> EmfWriter.builder("AWS/EC2")).hasMessageContaining("AWS/ prefix");
    assertThatThrownBy(() -> EmfWriter.builder("bad\"ns")).hasMessageContaining("character 3");
    assertThatThrownBy(() -> EmfWriter.builder("   ")).hasMessageContaining("blank");
    assertThatThrownBy(() -> EmfWriter.builder("n".repeat(256))).hasMessageContaining("255");
    assertThatThrownBy(() -> builder().maxEventBytes(100)).hasMessageContaining("4096");
    assertThatThrownBy(() -> builder().storageResolution(10)).hasMessageContaining("1 or 60");
    assertThatThrownBy(() -> builder().defaultDimension("a", "1").defaultDimension("a", "2"))
        .hasMessageContaining("added twice");
    assertThatThrownBy(() -> EmfWriter.builder("ns").build()).hasMessageContaining("sink is required");
    assertThat(EmfWriter.builder("My App/serving-1.0 #a:b").sink(sink).build()).isNotNull();
  }

  @Test
  void logGroupNameGoesUnderAws() {
    builder().logGroupName("/infer/emf").build().begin(NOW).metric("m", "None", 1).end();
    assertThat(sink.parsed().get(0).at("/_aws/LogGroupName").asText()).isEqualTo("/infer/emf");
  }

  @Test
  void writesAKpiSetOneEventPerSetOfDimensions() {
    Labels a = Labels.of("model", "qwen3");
    Labels b = Labels.of("model", "llama", "engine", "0");
    KpiSet kpis = new KpiSet("vllm", "pod-1:8000", Instant.ofEpochMilli(NOW), Duration.ofSeconds(15), List.of(
        new KpiValue(Kpi.REQUEST_RATE, KpiStatistic.VALUE, a, 2.4),
        new KpiValue(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95, b, 0.35),
        new KpiValue(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95, a, 0.12),
        new KpiValue(Kpi.KV_CACHE_USAGE, KpiStatistic.VALUE, b, 0.5)));
    EmfWriter w = builder().defaultDimension("cluster", "prod").build();
    w.write(kpis);

    assertThat(sink.lines()).containsExactly("""
        {"cluster":"prod","model":"qwen3","source":"vllm","target":"pod-1:8000",\
        "request_rate_per_second":2.4,"time_to_first_token_seconds_p95":0.12,\
        "_aws":{"Timestamp":1700000000000,"CloudWatchMetrics":[{"Namespace":"Inference",\
        "Dimensions":[["cluster","model","source","target"]],"Metrics":[{"Name":"request_rate_per_second",\
        "Unit":"Count/Second"},\
        {"Name":"time_to_first_token_seconds_p95","Unit":"Seconds"}]}]}}""", """
        {"cluster":"prod","engine":"0","model":"llama","source":"vllm","target":"pod-1:8000",\
        "time_to_first_token_seconds_p95":0.35,"kv_cache_usage_ratio":0.5,\
        "_aws":{"Timestamp":1700000000000,"CloudWatchMetrics":[{"Namespace":"Inference",\
        "Dimensions":[["cluster","engine","model","source","target"]],"Metrics":[\
        {"Name":"time_to_first_token_seconds_p95",\
        "Unit":"Seconds"},{"Name":"kv_cache_usage_ratio","Unit":"None"}]}]}}""");
  }

  @Test
  void theTargetCanStayAPropertyToSaveMetrics() {
    KpiSet kpis = new KpiSet("vllm", "pod-1:8000", Instant.ofEpochMilli(NOW), Duration.ofSeconds(15), List.of(
        new KpiValue(Kpi.REQUEST_RATE, KpiStatistic.VALUE, Labels.of("model", "qwen3"), 2.4)));
    builder().targetDimension(false).build().write(kpis);
    assertThat(sink.parsed()).singleElement().satisfies(e -> {
      assertThat(e.get("target").asText()).isEqualTo("pod-1:8000");
      assertThat(e.at("/_aws/CloudWatchMetrics/0/Dimensions").toString()).isEqualTo("[[\"model\",\"source\"]]");
    });
  }

  @Test
  void kpiGroupsWithInvalidDimensionsAreDroppedAndCounted() {
    KpiSet kpis = new KpiSet("triton", "", Instant.ofEpochMilli(NOW), Duration.ofSeconds(15), List.of(
        new KpiValue(Kpi.REQUEST_RATE, KpiStatistic.VALUE, Labels.of("model", "x".repeat(2000)), 1),
        new KpiValue(Kpi.REQUEST_RATE, KpiStatistic.VALUE, Labels.of("model", "ok"), 2),
        new KpiValue(Kpi.REQUEST_RATE, KpiStatistic.VALUE, Labels.of("request_rate_per_second", "clash"), 3)));
    EmfWriter w = builder().build();
    w.write(kpis);
    assertThat(sink.parsed()).singleElement().satisfies(e -> {
      assertThat(e.get("model").asText()).isEqualTo("ok");
      assertThat(e.has("target")).isFalse(); // empty target: not written
    });
    assertThat(w.eventsDropped()).isEqualTo(2);
  }
}
