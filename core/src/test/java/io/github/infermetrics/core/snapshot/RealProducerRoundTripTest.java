package io.github.infermetrics.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.infermetrics.core.exposition.ExpositionFormat;
import io.github.infermetrics.core.exposition.ExpositionParseException;
import io.github.infermetrics.core.exposition.ExpositionParser;
import io.github.infermetrics.core.exposition.MetricType;
import io.github.infermetrics.core.testing.ChunkedInputStream;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.core.metrics.StateSet;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot.UnknownDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Expositions written by real producers — Micrometer's {@code PrometheusMeterRegistry} and the Prometheus
 * client_java 1.x text writers — parse back in strict mode, in both formats, to exactly the values that were
 * recorded: family names, types, help, units, every label value (unescaped), counter values, histogram buckets,
 * count and sum, summary quantiles, info and state set points, {@code _created} times and exemplars. Every
 * exposition is also read through the {@code InputStream} path, which must give the same families.
 */
class RealProducerRoundTripTest {

  private static final String OPENMETRICS_CONTENT_TYPE =
      "application/openmetrics-text; version=1.0.0; charset=utf-8";

  /** Label values that need escaping or are not ASCII. */
  private static final String QUOTE = "say \"hi\"";
  private static final String BACKSLASH = "C:\\models\\llama";
  private static final String NEWLINE = "line one\nline two";
  private static final String NON_ASCII = "latency in \u03bcs \ud83d\ude80";
  private static final String ALL_AT_ONCE = "\"q\" \\ b\\n\n\u03bc\ud83d\ude80 \\\"";
  private static final List<String> TRICKY_VALUES = List.of(QUOTE, BACKSLASH, NEWLINE, NON_ASCII, ALL_AT_ONCE);

  // ============================================================================================================
  // Micrometer
  // ============================================================================================================

  private static final String MICROMETER_MODEL = "llama \"3\" \\ \u03bc\ud83d\ude80\nnext";
  private static final double[] TIMER_SECONDS = {0.05, 0.3, 2.0};

  /** A Micrometer registry on a mock clock with known recordings. */
  private static final class MicrometerFixture {
    final MockClock clock = new MockClock();
    final PrometheusMeterRegistry registry =
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), clock);
    /** Micrometer holds gauge state weakly: without this reference the gauge reads NaN after a GC. */
    final AtomicInteger queueSize = new AtomicInteger(7);
    final DistributionSummary payload;

    MicrometerFixture() {
      io.micrometer.core.instrument.Counter.builder("http.requests").description("Completed requests")
          .tags("method", "POST", "model", MICROMETER_MODEL, "status", "200").register(registry).increment(7.5);
      io.micrometer.core.instrument.Counter.builder("http.requests").description("Completed requests")
          .tags("method", "POST", "model", MICROMETER_MODEL, "status", "500").register(registry).increment();
      registry.gauge("queue.size", Tags.of("queue", "prefill"), queueSize);
      Timer timer = Timer.builder("rpc.latency").description("RPC latency").publishPercentileHistogram()
          .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofMillis(500))
          .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
          .register(registry);
      for (double s : TIMER_SECONDS) {
        timer.record(Duration.ofNanos(Math.round(s * 1e9)));
      }
      payload = DistributionSummary.builder("payload.size").baseUnit("bytes").publishPercentiles(0.5, 0.99)
          .register(registry);
      payload.record(100);
      payload.record(200);
      payload.record(300);
      LongTaskTimer batch = LongTaskTimer.builder("batch.job").register(registry);
      batch.start();
      clock.add(Duration.ofSeconds(3));
    }

    byte[] scrape(ExpositionFormat format) {
      String text = format == ExpositionFormat.OPENMETRICS ? registry.scrape(OPENMETRICS_CONTENT_TYPE)
          : registry.scrape();
      return text.getBytes(StandardCharsets.UTF_8);
    }
  }

  @ParameterizedTest
  @EnumSource(ExpositionFormat.class)
  void micrometerScrapeHasEveryRegisteredMeterWithItsType(ExpositionFormat format) {
    MetricSnapshot s = parseStrict(new MicrometerFixture().scrape(format), format);

    assertThat(s.format()).isEqualTo(format);
    Map<String, MetricType> types = new LinkedHashMap<>();
    s.families().forEach(f -> types.put(f.name(), f.type()));
    assertThat(types).containsOnly(
        Map.entry(counterFamily("http_requests", format), MetricType.COUNTER),
        Map.entry("queue_size", MetricType.GAUGE),
        Map.entry("rpc_latency_seconds", MetricType.HISTOGRAM),
        Map.entry("rpc_latency_seconds_max", MetricType.GAUGE),
        Map.entry("payload_size_bytes", MetricType.SUMMARY),
        Map.entry("payload_size_bytes_max", MetricType.GAUGE),
        Map.entry("batch_job_seconds", MetricType.SUMMARY),
        Map.entry("batch_job_seconds_max", MetricType.GAUGE));
  }

  @ParameterizedTest
  @EnumSource(ExpositionFormat.class)
  void micrometerCounterAndGaugeKeepTheirTagsAndValues(ExpositionFormat format) {
    MetricSnapshot s = parseStrict(new MicrometerFixture().scrape(format), format);

    MetricFamily requests = s.family(counterFamily("http_requests", format)).orElseThrow();
    assertThat(requests.help()).isEqualTo("Completed requests");
    assertThat(requests.points()).hasSize(2);
    CounterPoint ok = (CounterPoint) single(s.select(requests.name(), LabelMatcher.eq("status", "200")));
    assertThat(ok.labels()).isEqualTo(Labels.of("method", "POST", "model", MICROMETER_MODEL, "status", "200"));
    assertThat(ok.value()).isEqualTo(7.5);
    assertThat(ok.hasCreated()).as("Micrometer writes no _created").isFalse();
    assertThat(ok.exemplar()).isNull();
    CounterPoint failed = (CounterPoint) single(s.select(requests.name(), LabelMatcher.eq("status", "500"),
        LabelMatcher.eq("model", MICROMETER_MODEL)));
    assertThat(failed.value()).isEqualTo(1.0);

    GaugePoint queue = (GaugePoint) single(s.family("queue_size").orElseThrow().points());
    assertThat(queue.labels()).isEqualTo(Labels.of("queue", "prefill"));
    assertThat(queue.value()).isEqualTo(7.0);
    assertThat(queue.hasTimestamp()).isFalse();
    // Micrometer writes "# HELP queue_size  " (a blank help) for a meter without description. Prometheus text
    // skips blanks before the help text, so, as in expfmt, the line sets no help; in OpenMetrics it is " ".
    assertThat(s.family("queue_size").orElseThrow().help())
        .isEqualTo(format == ExpositionFormat.OPENMETRICS ? " " : null);
  }

  @ParameterizedTest
  @EnumSource(ExpositionFormat.class)
  void micrometerTimerPercentileHistogramHasEveryBucketCountSumAndMaxInSeconds(ExpositionFormat format) {
    MetricSnapshot s = parseStrict(new MicrometerFixture().scrape(format), format);

    MetricFamily latency = s.family("rpc_latency_seconds").orElseThrow();
    assertThat(latency.help()).isEqualTo("RPC latency");
    HistogramPoint h = (HistogramPoint) single(latency.points());
    assertThat(h.labels()).isEqualTo(Labels.EMPTY);
    double[] bounds = h.upperBounds();
    assertThat(bounds.length).isGreaterThan(50);
    assertThat(bounds[0]).isEqualTo(0.001);
    assertThat(bounds).contains(0.1, 0.5, 10.0);
    assertThat(bounds[bounds.length - 1]).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(bounds).isSorted();
    for (int i = 0; i < h.bucketCount(); i++) {
      assertThat(h.cumulativeCount(i)).as("bucket le=%s", h.upperBound(i))
          .isEqualTo((double) observationsAtMost(h.upperBound(i), TIMER_SECONDS));
      assertThat(h.exemplar(i)).isNull();
    }
    assertThat(h.count()).isEqualTo(3.0);
    assertThat(h.sum()).isCloseTo(2.35, within(1e-12));
    assertThat(h.hasTimestamp()).isFalse();

    GaugePoint max = (GaugePoint) single(s.family("rpc_latency_seconds_max").orElseThrow().points());
    assertThat(max.value()).isEqualTo(2.0);
  }

  @ParameterizedTest
  @EnumSource(ExpositionFormat.class)
  void micrometerDistributionSummaryHasItsQuantilesCountAndSum(ExpositionFormat format) {
    MicrometerFixture fixture = new MicrometerFixture();
    MetricSnapshot s = parseStrict(fixture.scrape(format), format);

    SummaryPoint q = (SummaryPoint) single(s.family("payload_size_bytes").orElseThrow().points());
    assertThat(q.labels()).isEqualTo(Labels.EMPTY);
    assertThat(q.quantileCount()).isEqualTo(2);
    assertThat(q.quantile(0)).isEqualTo(0.5);
    assertThat(q.quantile(1)).isEqualTo(0.99);
    // Micrometer's percentiles are approximations; they must be exactly the ones Micrometer computed
    for (ValueAtPercentile p : fixture.payload.takeSnapshot().percentileValues()) {
      assertThat(q.valueAt(p.percentile())).as("quantile %s", p.percentile()).isEqualTo(p.value());
    }
    assertThat(q.valueAt(0.5)).isCloseTo(200.0, within(10.0));
    assertThat(q.valueAt(0.99)).isCloseTo(300.0, within(10.0));
    assertThat(q.count()).isEqualTo(3.0);
    assertThat(q.sum()).isEqualTo(600.0);
    assertThat(((GaugePoint) single(s.family("payload_size_bytes_max").orElseThrow().points())).value())
        .isEqualTo(300.0);

    // the long task timer: one task active for 3 seconds of the mock clock
    SummaryPoint batch = (SummaryPoint) single(s.family("batch_job_seconds").orElseThrow().points());
    assertThat(batch.quantileCount()).isZero();
    assertThat(batch.count()).isEqualTo(1.0);
    assertThat(batch.sum()).isEqualTo(3.0);
    assertThat(((GaugePoint) single(s.family("batch_job_seconds_max").orElseThrow().points())).value())
        .isEqualTo(3.0);
  }

  // ============================================================================================================
  // Prometheus client_java 1.x
  // ============================================================================================================

  private static final String COUNTER_HELP =
      "Requests by path \\ with \"quotes\"\nand a second line \u03bc\ud83d\ude80";
  private static final String EXEMPLAR_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String EXEMPLAR_SPAN = "00f067aa0ba902b7";
  private static final String TRICKY_EXEMPLAR_VALUE = "q\"b\\n\n\u03bc\ud83d\ude80";
  private static final double[] DURATION_BOUNDS = {0.005, 0.01, 0.1, 1, 10};
  private static final double[] LLAMA_DURATIONS = {0.05, 0.003, 0.05, 0.7, 3, 42};
  private static final double[] TRICKY_DURATIONS = {0.2, 0.4};
  private static final Map<String, Double> EDGE_VALUES = edgeValues();

  private static Map<String, Double> edgeValues() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("max", Double.MAX_VALUE);
    m.put("min_subnormal", Double.MIN_VALUE);
    m.put("min_normal", Double.MIN_NORMAL);
    m.put("negative", -273.15);
    m.put("negative_zero", -0.0);
    m.put("tenth_plus_fifth", 0.1 + 0.2);
    m.put("big_integer", 9007199254740993.0);
    m.put("pos_inf", Double.POSITIVE_INFINITY);
    m.put("neg_inf", Double.NEGATIVE_INFINITY);
    m.put("nan", Double.NaN);
    return m;
  }

  /** How a writer variant writes created timestamps. */
  enum Created {
    /** Not at all. */
    NONE,
    /** Prometheus text: separate {@code foo_created} gauge families in milliseconds. */
    TEXT_GAUGE_MILLIS,
    /** Prometheus text: separate {@code foo_created} gauge families in seconds. */
    TEXT_GAUGE_SECONDS,
    /** OpenMetrics {@code _created} samples of the counter, histogram and summary, in seconds. */
    OPENMETRICS_SAMPLES
  }

  record WriterVariant(String name, ExpositionFormat format, ExpositionFormatWriter writer, Created created) {
    @Override
    public String toString() {
      return name;
    }
  }

  @SuppressWarnings("deprecation") // setTimestampsInMs(false): still a real option of the 1.7 writer
  static Stream<WriterVariant> clientJavaWriters() {
    return Stream.of(
        new WriterVariant("PrometheusTextFormatWriter.create()", ExpositionFormat.PROMETHEUS_TEXT,
            PrometheusTextFormatWriter.create(), Created.NONE),
        new WriterVariant("PrometheusTextFormatWriter with created timestamps (ms)", ExpositionFormat.PROMETHEUS_TEXT,
            PrometheusTextFormatWriter.builder().setIncludeCreatedTimestamps(true).build(),
            Created.TEXT_GAUGE_MILLIS),
        new WriterVariant("PrometheusTextFormatWriter with created timestamps (s)", ExpositionFormat.PROMETHEUS_TEXT,
            PrometheusTextFormatWriter.builder().setIncludeCreatedTimestamps(true).setTimestampsInMs(false).build(),
            Created.TEXT_GAUGE_SECONDS),
        new WriterVariant("OpenMetricsTextFormatWriter.create()", ExpositionFormat.OPENMETRICS,
            OpenMetricsTextFormatWriter.create(), Created.NONE),
        new WriterVariant("OpenMetricsTextFormatWriter with created timestamps", ExpositionFormat.OPENMETRICS,
            OpenMetricsTextFormatWriter.builder().setCreatedTimestampsEnabled(true).build(),
            Created.OPENMETRICS_SAMPLES));
  }

  /** A client_java registry with known recordings, scraped once into the model the writers write. */
  private static final class ClientJavaFixture {
    final PrometheusRegistry registry = new PrometheusRegistry();
    final MetricSnapshots model;

    ClientJavaFixture() {
      Counter requests = Counter.builder().name("http_requests_total").help(COUNTER_HELP)
          .labelNames("path", "status").register(registry);
      for (int i = 0; i < TRICKY_VALUES.size(); i++) {
        requests.labelValues(TRICKY_VALUES.get(i), "200").inc(1.25 * (i + 1));
      }
      requests.labelValues("/healthz", "503").inc();

      // the exemplar is taken from the first observation of a series; later ones carry no span, so keep none
      Counter tokens = Counter.builder().name("inference_tokens").help("Generated tokens").labelNames("model")
          .register(registry);
      tokens.labelValues("llama").incWithExemplar(42, io.prometheus.metrics.model.snapshots.Labels.of(
          "trace_id", EXEMPLAR_TRACE, "span_id", EXEMPLAR_SPAN));
      tokens.labelValues("llama").inc(8);
      tokens.labelValues(NON_ASCII).incWithExemplar(7, io.prometheus.metrics.model.snapshots.Labels.of(
          "trace_id", TRICKY_EXEMPLAR_VALUE));

      Gauge memory = Gauge.builder().name("gpu_memory_used").unit(Unit.BYTES).help("GPU memory in use")
          .labelNames("gpu").register(registry);
      memory.labelValues("0").set(1.5e10);
      memory.labelValues("1").set(0);
      Gauge edges = Gauge.builder().name("edge_values").help("Values at the edges of double")
          .labelNames("case").register(registry);
      EDGE_VALUES.forEach((k, v) -> edges.labelValues(k).set(v));

      Histogram duration = Histogram.builder().name("request_duration").unit(Unit.SECONDS)
          .help("Request duration").classicUpperBounds(DURATION_BOUNDS).labelNames("model").register(registry);
      duration.labelValues("llama").observeWithExemplar(LLAMA_DURATIONS[0],
          io.prometheus.metrics.model.snapshots.Labels.of("trace_id", EXEMPLAR_TRACE));
      for (int i = 1; i < LLAMA_DURATIONS.length; i++) {
        duration.labelValues("llama").observe(LLAMA_DURATIONS[i]);
      }
      for (double d : TRICKY_DURATIONS) {
        duration.labelValues(ALL_AT_ONCE).observe(d);
      }

      Summary ttft = Summary.builder().name("time_to_first_token").unit(Unit.SECONDS).help("Time to first token")
          .quantile(0.5, 0.01).quantile(0.9, 0.005).quantile(0.99, 0.001).register(registry);
      for (int i = 1; i <= 100; i++) {
        ttft.observe(i / 1000.0);
      }

      Info build = Info.builder().name("build_info").help("Build information")
          .labelNames("version", "revision", "note").register(registry);
      build.setLabelValues("1.4.0", "abc123", QUOTE + " " + NON_ASCII);

      StateSet features = StateSet.builder().name("feature_flags").help("Enabled features")
          .states("batching", "speculative_decoding", "streaming").labelNames("env").register(registry);
      features.labelValues("prod").setTrue("streaming");
      features.labelValues("prod").setTrue("batching");
      features.labelValues("prod").setFalse("speculative_decoding");
      features.labelValues(BACKSLASH).setTrue("speculative_decoding");
      features.labelValues(BACKSLASH).setFalse("batching");
      features.labelValues(BACKSLASH).setFalse("streaming");

      registry.register(() -> UnknownSnapshot.builder().name("legacy_temperature").help("Untyped legacy value")
          .dataPoint(UnknownDataPointSnapshot.builder()
              .labels(io.prometheus.metrics.model.snapshots.Labels.of("sensor", NEWLINE)).value(36.6).build())
          .build());

      model = registry.scrape();
    }

    byte[] write(ExpositionFormatWriter writer) {
      return writeAll(writer, model);
    }

    /** The data points of the model family with this (client_java) name. */
    <T extends DataPointSnapshot> List<T> modelPoints(String name, Class<T> type) {
      return model.stream().filter(m -> m.getMetadata().getName().equals(name)).findFirst().orElseThrow()
          .getDataPoints().stream().map(type::cast).collect(Collectors.toList());
    }

    <T extends DataPointSnapshot> T modelPoint(String name, Class<T> type, String label, String value) {
      return modelPoints(name, type).stream().filter(p -> value.equals(p.getLabels().get(label))).findFirst()
          .orElseThrow();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clientJavaWriters")
  void clientJavaExpositionHasEveryFamilyWithTypeHelpAndUnit(WriterVariant w) {
    MetricSnapshot s = parseStrict(new ClientJavaFixture().write(w.writer()), w.format());
    boolean om = w.format() == ExpositionFormat.OPENMETRICS;

    Map<String, MetricType> expected = new LinkedHashMap<>();
    expected.put(counterFamily("http_requests", w.format()), MetricType.COUNTER);
    expected.put(counterFamily("inference_tokens", w.format()), MetricType.COUNTER);
    expected.put("gpu_memory_used_bytes", MetricType.GAUGE);
    expected.put("edge_values", MetricType.GAUGE);
    expected.put("request_duration_seconds", MetricType.HISTOGRAM);
    expected.put("time_to_first_token_seconds", MetricType.SUMMARY);
    expected.put(om ? "build" : "build_info", om ? MetricType.INFO : MetricType.GAUGE);
    expected.put("feature_flags", om ? MetricType.STATESET : MetricType.GAUGE);
    expected.put("legacy_temperature", MetricType.UNKNOWN);
    if (w.created() == Created.TEXT_GAUGE_MILLIS || w.created() == Created.TEXT_GAUGE_SECONDS) {
      for (String f : List.of("http_requests_created", "inference_tokens_created", "request_duration_seconds_created",
          "time_to_first_token_seconds_created")) {
        expected.put(f, MetricType.GAUGE);
      }
    }
    Map<String, MetricType> actual = new LinkedHashMap<>();
    s.families().forEach(f -> actual.put(f.name(), f.type()));
    assertThat(actual).containsExactlyInAnyOrderEntriesOf(expected);

    assertThat(s.family(counterFamily("http_requests", w.format())).orElseThrow().help()).isEqualTo(COUNTER_HELP);
    assertThat(s.family("request_duration_seconds").orElseThrow().help()).isEqualTo("Request duration");
    assertThat(s.family("legacy_temperature").orElseThrow().help()).isEqualTo("Untyped legacy value");
    String unit = om ? "bytes" : null;
    assertThat(s.family("gpu_memory_used_bytes").orElseThrow().unit()).isEqualTo(unit);
    assertThat(s.family("request_duration_seconds").orElseThrow().unit()).isEqualTo(om ? "seconds" : null);
    assertThat(s.family("time_to_first_token_seconds").orElseThrow().unit()).isEqualTo(om ? "seconds" : null);
    assertThat(s.family("edge_values").orElseThrow().unit()).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clientJavaWriters")
  void clientJavaCountersKeepEscapedLabelValuesValuesAndCreatedTimes(WriterVariant w) {
    ClientJavaFixture fixture = new ClientJavaFixture();
    MetricSnapshot s = parseStrict(fixture.write(w.writer()), w.format());

    MetricFamily requests = s.family(counterFamily("http_requests", w.format())).orElseThrow();
    assertThat(requests.points()).hasSize(TRICKY_VALUES.size() + 1);
    for (int i = 0; i < TRICKY_VALUES.size(); i++) {
      String path = TRICKY_VALUES.get(i);
      CounterPoint c = (CounterPoint) single(requests.points(LabelMatcher.eq("path", path)));
      assertThat(c.labels().asMap()).as("labels of %s", path).containsExactly(
          Map.entry("path", path), Map.entry("status", "200"));
      assertThat(c.value()).as(path).isEqualTo(1.25 * (i + 1));
      assertThat(c.exemplar()).isNull();
      assertCreated(w, s, "http_requests", c,
          fixture.modelPoint("http_requests", CounterDataPointSnapshot.class, "path", path));
    }
    CounterPoint health = (CounterPoint) single(requests.points(LabelMatcher.eq("status", "503")));
    assertThat(health.labels()).isEqualTo(Labels.of("path", "/healthz", "status", "503"));
    assertThat(health.value()).isEqualTo(1.0);

    MetricFamily tokens = s.family(counterFamily("inference_tokens", w.format())).orElseThrow();
    CounterPoint llama = (CounterPoint) single(tokens.points(LabelMatcher.eq("model", "llama")));
    assertThat(llama.value()).isEqualTo(50.0);
    CounterPoint tricky = (CounterPoint) single(tokens.points(LabelMatcher.eq("model", NON_ASCII)));
    assertThat(tricky.value()).isEqualTo(7.0);
    assertCreated(w, s, "inference_tokens", llama,
        fixture.modelPoint("inference_tokens", CounterDataPointSnapshot.class, "model", "llama"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clientJavaWriters")
  void clientJavaCounterExemplarsSurviveInOpenMetricsOnly(WriterVariant w) {
    ClientJavaFixture fixture = new ClientJavaFixture();
    MetricSnapshot s = parseStrict(fixture.write(w.writer()), w.format());
    MetricFamily tokens = s.family(counterFamily("inference_tokens", w.format())).orElseThrow();
    CounterPoint llama = (CounterPoint) single(tokens.points(LabelMatcher.eq("model", "llama")));
    CounterPoint tricky = (CounterPoint) single(tokens.points(LabelMatcher.eq("model", NON_ASCII)));

    if (w.format() == ExpositionFormat.PROMETHEUS_TEXT) {
      assertThat(llama.exemplar()).isNull();
      assertThat(tricky.exemplar()).isNull();
      return;
    }
    io.prometheus.metrics.model.snapshots.Exemplar modelLlama = fixture.modelPoint("inference_tokens",
        CounterDataPointSnapshot.class, "model", "llama").getExemplar();
    assertThat(llama.exemplar()).isEqualTo(new Exemplar(
        Labels.of("trace_id", EXEMPLAR_TRACE, "span_id", EXEMPLAR_SPAN), 42.0, modelLlama.getTimestampMillis()));
    io.prometheus.metrics.model.snapshots.Exemplar modelTricky = fixture.modelPoint("inference_tokens",
        CounterDataPointSnapshot.class, "model", NON_ASCII).getExemplar();
    assertThat(tricky.exemplar()).isEqualTo(new Exemplar(
        Labels.of("trace_id", TRICKY_EXEMPLAR_VALUE), 7.0, modelTricky.getTimestampMillis()));
    assertThat(tricky.exemplar().labels().get("trace_id")).isEqualTo(TRICKY_EXEMPLAR_VALUE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clientJavaWriters")
  void clientJavaGaugesKeepEveryDoubleBitForBit(WriterVariant w) {
    MetricSnapshot s = parseStrict(new ClientJavaFixture().write(w.writer()), w.format());

    MetricFamily memory = s.family("gpu_memory_used_bytes").orElseThrow();
    assertThat(((GaugePoint) single(memory.points(LabelMatcher.eq("gpu", "0")))).value()).isEqualTo(1.5e10);
    assertThat(((GaugePoint) single(memory.points(LabelMatcher.eq("gpu", "1")))).value()).isEqualTo(0.0);

    MetricFamily edges = s.family("edge_values").orElseThrow();
    assertThat(edges.points()).hasSize(EDGE_VALUES.size());
    EDGE_VALUES.forEach((k, v) -> {
      GaugePoint g = (GaugePoint) single(edges.points(LabelMatcher.eq("case", k)));
      assertThat(Double.doubleToRawLongBits(g.value())).as("%s: expected %s, got %s", k, v, g.value())
          .isEqualTo(Double.doubleToRawLongBits(v));
    });

    UnknownPoint legacy = (UnknownPoint) single(s.family("legacy_temperature").orElseThrow().points());
    assertThat(legacy.labels()).isEqualTo(Labels.of("sensor", NEWLINE));
    assertThat(legacy.value()).isEqualTo(36.6);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clientJavaWriters")
  void clientJavaHistogramHasEveryBucketCountSumCreatedAndExemplar(WriterVariant w) {
    ClientJavaFixture fixture = new ClientJavaFixture();
    MetricSnapshot s = parseStrict(fixture.write(w.writer()), w.format());
    MetricFamily duration = s.family("request_duration_seconds").orElseThrow();
    assertThat(duration.points()).hasSize(2);

    for (String model : List.of("llama", ALL_AT_ONCE)) {
      double[] observed = model.equals("llama") ? LLAMA_DURATIONS : TRICKY_DURATIONS;
      HistogramPoint h = (HistogramPoint) single(duration.points(LabelMatcher.eq("model", model)));
      HistogramDataPointSnapshot m =
          fixture.modelPoint("request_duration_seconds", HistogramDataPointSnapshot.class, "model", model);
      assertThat(h.labels()).isEqualTo(Labels.of("model", model));
      assertThat(h.upperBounds()).containsExactly(0.005, 0.01, 0.1, 1.0, 10.0, Double.POSITIVE_INFINITY);
      for (int i = 0; i < h.bucketCount(); i++) {
        assertThat(h.cumulativeCount(i)).as("%s le=%s", model, h.upperBound(i))
            .isEqualTo((double) observationsAtMost(h.upperBound(i), observed));
      }
      assertThat(h.count()).isEqualTo((double) observed.length);
      assertThat(h.sum()).isEqualTo(m.getSum()).isCloseTo(Arrays.stream(observed).sum(), within(1e-9));
      assertThat(h.hasTimestamp()).isFalse();

      if (w.format() == ExpositionFormat.OPENMETRICS) {
        ClassicHistogramBuckets buckets = m.getClassicBuckets();
        for (int i = 0; i < h.bucketCount(); i++) {
          double lower = i == 0 ? Double.NEGATIVE_INFINITY : buckets.getUpperBound(i - 1);
          io.prometheus.metrics.model.snapshots.Exemplar e = m.getExemplars().get(lower, buckets.getUpperBound(i));
          assertThat(h.exemplar(i)).as("%s exemplar le=%s", model, h.upperBound(i)).isEqualTo(convert(e));
        }
      } else {
        for (int i = 0; i < h.bucketCount(); i++) {
          assertThat(h.exemplar(i)).isNull();
        }
      }
      assertCreated(w, s, "request_duration_seconds", h.labels(), h.createdSeconds(), m);
    }
    HistogramPoint llama = (HistogramPoint) single(duration.points(LabelMatcher.eq("model", "llama")));
    if (w.format() == ExpositionFormat.OPENMETRICS) {
      assertThat(llama.exemplar(2)).isNotNull();
      assertThat(llama.exemplar(2).labels()).isEqualTo(Labels.of("trace_id", EXEMPLAR_TRACE));
      assertThat(llama.exemplar(2).value()).isEqualTo(0.05);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clientJavaWriters")
  void clientJavaSummaryHasTheProducersQuantilesCountSumAndCreated(WriterVariant w) {
    ClientJavaFixture fixture = new ClientJavaFixture();
    MetricSnapshot s = parseStrict(fixture.write(w.writer()), w.format());

    SummaryPoint q = (SummaryPoint) single(s.family("time_to_first_token_seconds").orElseThrow().points());
    SummaryDataPointSnapshot m =
        fixture.modelPoints("time_to_first_token_seconds", SummaryDataPointSnapshot.class).get(0);
    assertThat(q.labels()).isEqualTo(Labels.EMPTY);
    assertThat(q.quantileCount()).isEqualTo(3);
    int i = 0;
    for (Quantile mq : m.getQuantiles()) {
      assertThat(q.quantile(i)).isEqualTo(mq.getQuantile());
      assertThat(q.quantileValue(i)).as("quantile %s", mq.getQuantile()).isEqualTo(mq.getValue());
      i++;
    }
    assertThat(q.valueAt(0.5)).isCloseTo(0.050, within(0.002));
    assertThat(q.valueAt(0.9)).isCloseTo(0.090, within(0.002));
    assertThat(q.valueAt(0.99)).isCloseTo(0.099, within(0.002));
    assertThat(q.count()).isEqualTo(100.0);
    assertThat(q.sum()).isEqualTo(m.getSum()).isCloseTo(5.05, within(1e-9));
    assertCreated(w, s, "time_to_first_token_seconds", q.labels(), q.createdSeconds(), m);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clientJavaWriters")
  void clientJavaInfoAndStateSetAreTypedInOpenMetricsAndGaugesInText(WriterVariant w) {
    MetricSnapshot s = parseStrict(new ClientJavaFixture().write(w.writer()), w.format());
    Labels buildLabels = Labels.of("version", "1.4.0", "revision", "abc123", "note", QUOTE + " " + NON_ASCII);

    if (w.format() == ExpositionFormat.OPENMETRICS) {
      InfoPoint info = (InfoPoint) single(s.family("build").orElseThrow().points());
      assertThat(info.labels()).isEqualTo(buildLabels);
      assertThat(s.family("build").orElseThrow().help()).isEqualTo("Build information");

      MetricFamily features = s.family("feature_flags").orElseThrow();
      assertThat(features.points()).hasSize(2);
      StateSetPoint prod = (StateSetPoint) single(features.points(LabelMatcher.eq("env", "prod")));
      assertThat(prod.labels()).isEqualTo(Labels.of("env", "prod"));
      assertThat(prod.states()).containsExactly(Map.entry("batching", true),
          Map.entry("speculative_decoding", false), Map.entry("streaming", true));
      StateSetPoint windows = (StateSetPoint) single(features.points(LabelMatcher.eq("env", BACKSLASH)));
      assertThat(windows.states()).containsExactly(Map.entry("batching", false),
          Map.entry("speculative_decoding", true), Map.entry("streaming", false));
    } else {
      GaugePoint info = (GaugePoint) single(s.family("build_info").orElseThrow().points());
      assertThat(info.labels()).isEqualTo(buildLabels);
      assertThat(info.value()).isEqualTo(1.0);

      MetricFamily features = s.family("feature_flags").orElseThrow();
      assertThat(features.points()).hasSize(6);
      Map<String, Double> prod = new LinkedHashMap<>();
      for (MetricPoint p : features.points(LabelMatcher.eq("env", "prod"))) {
        prod.put(p.labels().get("feature_flags"), ((GaugePoint) p).value());
      }
      assertThat(prod).containsOnly(Map.entry("batching", 1.0), Map.entry("speculative_decoding", 0.0),
          Map.entry("streaming", 1.0));
      Map<String, Double> windows = new LinkedHashMap<>();
      for (MetricPoint p : features.points(LabelMatcher.eq("env", BACKSLASH))) {
        windows.put(p.labels().get("feature_flags"), ((GaugePoint) p).value());
      }
      assertThat(windows).containsOnly(Map.entry("batching", 0.0), Map.entry("speculative_decoding", 1.0),
          Map.entry("streaming", 0.0));
    }
  }

  @Test
  void clientJavaExemplarsOnAllMetricTypesBreakOpenMetrics10SoStrictRejectsThemAndLenientReadsTheValues() {
    PrometheusRegistry registry = new PrometheusRegistry();
    Gauge gauge = Gauge.builder().name("queue_depth").help("Queue depth").register(registry);
    gauge.setWithExemplar(4, io.prometheus.metrics.model.snapshots.Labels.of("trace_id", EXEMPLAR_TRACE));
    Histogram histogram = Histogram.builder().name("latency_seconds").help("Latency")
        .classicUpperBounds(0.1, 1).register(registry);
    histogram.observeWithExemplar(0.05, io.prometheus.metrics.model.snapshots.Labels.of("trace_id", EXEMPLAR_TRACE));
    // a non-default writer option: exemplars on gauges and on _count, which OpenMetrics 1.0 does not allow
    byte[] bytes = writeAll(OpenMetricsTextFormatWriter.builder().setExemplarsOnAllMetricTypesEnabled(true).build(),
        registry.scrape());
    assertThat(new String(bytes, StandardCharsets.UTF_8))
        .contains("queue_depth 4.0 # {trace_id=\"" + EXEMPLAR_TRACE + "\"} 4.0 ")
        .contains("latency_seconds_count 1 # {trace_id=");

    assertThatThrownBy(() -> strictReader(ExpositionFormat.OPENMETRICS).read(bytes, ExpositionFormat.OPENMETRICS))
        .isInstanceOf(ExpositionParseException.class)
        .hasMessageContaining("exemplars are only allowed on counter _total and histogram _bucket samples")
        // the registry sorts by name, so the histogram's _count comes first
        .hasMessageContaining("latency_seconds_count 1 # {trace_id=");

    MetricSnapshot lenient = new SnapshotReader(ExpositionParser.builder().format(ExpositionFormat.OPENMETRICS)
        .build()).read(bytes, ExpositionFormat.OPENMETRICS);
    assertThat(((GaugePoint) single(lenient.family("queue_depth").orElseThrow().points())).value()).isEqualTo(4.0);
    HistogramPoint h = (HistogramPoint) single(lenient.family("latency_seconds").orElseThrow().points());
    assertThat(h.cumulativeCounts()).containsExactly(1.0, 1.0, 1.0);
    assertThat(h.count()).isEqualTo(1.0);
    assertThat(h.exemplar(0).labels()).isEqualTo(Labels.of("trace_id", EXEMPLAR_TRACE));
    assertThat(lenient.skippedLines()).isZero();
  }

  // ============================================================================================================
  // The InputStream path
  // ============================================================================================================

  static Stream<Arguments> everyProducedExposition() {
    List<Arguments> out = new ArrayList<>();
    MicrometerFixture micrometer = new MicrometerFixture();
    for (ExpositionFormat f : ExpositionFormat.values()) {
      out.add(Arguments.of("Micrometer " + f, f, micrometer.scrape(f)));
    }
    ClientJavaFixture clientJava = new ClientJavaFixture();
    clientJavaWriters().forEach(w -> out.add(Arguments.of(w.name(), w.format(), clientJava.write(w.writer()))));
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyProducedExposition")
  void inputStreamPathGivesTheSameSnapshotAsTheByteArrayPath(String producer, ExpositionFormat format, byte[] bytes) {
    MetricSnapshot fromBytes = strictReader(format).read(bytes, format);
    MetricSnapshot fromStream = strictReader(format).read(new ByteArrayInputStream(bytes), format);
    MetricSnapshot fromTrickle = strictReader(format).read(new ChunkedInputStream(bytes, new int[] {7}), format);

    assertThat(fromBytes.families()).isNotEmpty();
    for (MetricSnapshot other : List.of(fromStream, fromTrickle)) {
      assertThat(other.format()).isEqualTo(fromBytes.format());
      assertThat(other.families()).isEqualTo(fromBytes.families());
      assertThat(other.sampleCount()).isEqualTo(fromBytes.sampleCount());
      assertThat(other.skippedLines()).isZero();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyProducedExposition")
  void oneReaderReusedAcrossScrapesGivesEqualSnapshots(String producer, ExpositionFormat format, byte[] bytes) {
    SnapshotReader reader = strictReader(format);
    MetricSnapshot first = reader.read(bytes, format);
    MetricSnapshot second = reader.read(new ByteArrayInputStream(bytes), format);
    MetricSnapshot third = reader.read(bytes, format);
    assertThat(second.families()).isEqualTo(first.families());
    assertThat(third.families()).isEqualTo(first.families());
  }

  // ============================================================================================================
  // A large exposition
  // ============================================================================================================

  private static final int LARGE_COUNTER_SERIES = 10_000;
  private static final int LARGE_HISTOGRAM_SERIES = 200;
  private static final double[] LARGE_BOUNDS = {0.01, 0.1, 1, 10};

  @Test
  void largeClientJavaExpositionParsesStrictInBothFormatsWithEverySeries() {
    PrometheusRegistry registry = new PrometheusRegistry();
    Counter counter = Counter.builder().name("synthetic_requests").help("Synthetic requests")
        .labelNames("tenant", "model", "shard").withoutExemplars().register(registry);
    for (int i = 0; i < LARGE_COUNTER_SERIES; i++) {
      counter.labelValues("tenant-" + i / 100, "model-" + i % 100, largeShard(i)).inc(i + 0.5);
    }
    Histogram histogram = Histogram.builder().name("synthetic_latency").unit(Unit.SECONDS).help("Synthetic latency")
        .classicUpperBounds(LARGE_BOUNDS).labelNames("route").withoutExemplars().register(registry);
    for (int j = 0; j < LARGE_HISTOGRAM_SERIES; j++) {
      for (double v : largeObservations(j)) {
        histogram.labelValues("/route/" + j + "/\u03bc").observe(v);
      }
    }
    MetricSnapshots model = registry.scrape();

    for (ExpositionFormat format : ExpositionFormat.values()) {
      ExpositionFormatWriter writer = format == ExpositionFormat.OPENMETRICS
          ? OpenMetricsTextFormatWriter.builder().setCreatedTimestampsEnabled(true).build()
          : PrometheusTextFormatWriter.create();
      byte[] bytes = writeAll(writer, model);
      MetricSnapshot s = parseStrict(bytes, format);

      MetricFamily counters = s.family(counterFamily("synthetic_requests", format)).orElseThrow();
      assertThat(counters.points()).as("%s counter series", format).hasSize(LARGE_COUNTER_SERIES);
      double total = 0;
      for (MetricPoint p : counters.points()) {
        total += ((CounterPoint) p).value();
      }
      assertThat(total).isEqualTo(LARGE_COUNTER_SERIES * (LARGE_COUNTER_SERIES - 1) / 2.0
          + LARGE_COUNTER_SERIES * 0.5);
      for (int i = 0; i < LARGE_COUNTER_SERIES; i += 997) {
        CounterPoint c = (CounterPoint) single(counters.points(LabelMatcher.eq("tenant", "tenant-" + i / 100),
            LabelMatcher.eq("model", "model-" + i % 100)));
        assertThat(c.labels().get("shard")).isEqualTo(largeShard(i));
        assertThat(c.value()).isEqualTo(i + 0.5);
        assertThat(c.hasCreated()).isEqualTo(format == ExpositionFormat.OPENMETRICS);
      }

      MetricFamily latencies = s.family("synthetic_latency_seconds").orElseThrow();
      assertThat(latencies.points()).hasSize(LARGE_HISTOGRAM_SERIES);
      for (int j = 0; j < LARGE_HISTOGRAM_SERIES; j += 13) {
        HistogramPoint h =
            (HistogramPoint) single(latencies.points(LabelMatcher.eq("route", "/route/" + j + "/\u03bc")));
        double[] observed = largeObservations(j);
        assertThat(h.bucketCount()).isEqualTo(LARGE_BOUNDS.length + 1);
        for (int i = 0; i < h.bucketCount(); i++) {
          assertThat(h.cumulativeCount(i)).isEqualTo((double) observationsAtMost(h.upperBound(i), observed));
        }
        assertThat(h.count()).isEqualTo((double) observed.length);
        assertThat(h.sum()).isCloseTo(Arrays.stream(observed).sum(), within(1e-9));
      }
      long expectedSamples = LARGE_COUNTER_SERIES * (format == ExpositionFormat.OPENMETRICS ? 2L : 1L)
          + LARGE_HISTOGRAM_SERIES * (LARGE_BOUNDS.length + 1 + 2 + (format == ExpositionFormat.OPENMETRICS ? 1L : 0L));
      assertThat(s.sampleCount()).isEqualTo(expectedSamples);
    }
  }

  private static String largeShard(int i) {
    return "shard \"" + (i % 7) + "\" \\ \u03bc";
  }

  private static double[] largeObservations(int j) {
    return new double[] {0.005 * (j % 3), 0.05 + j / 1000.0, 2.5, j};
  }

  // ============================================================================================================
  // helpers
  // ============================================================================================================

  private static SnapshotReader strictReader(ExpositionFormat format) {
    return new SnapshotReader(ExpositionParser.builder().format(format).strict(true).build());
  }

  /** Reads strictly from the bytes, and checks that the stream path reads the same. */
  private static MetricSnapshot parseStrict(byte[] bytes, ExpositionFormat format) {
    MetricSnapshot s = strictReader(format).read(bytes, format);
    MetricSnapshot streamed = strictReader(format).read(new ByteArrayInputStream(bytes), format);
    assertThat(streamed.families()).isEqualTo(s.families());
    assertThat(s.skippedLines()).isZero();
    return s;
  }

  private static byte[] writeAll(ExpositionFormatWriter writer, MetricSnapshots model) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writer.write(out, model);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The family name of a counter: OpenMetrics drops {@code _total}, Prometheus text keeps the sample name. */
  private static String counterFamily(String base, ExpositionFormat format) {
    return format == ExpositionFormat.OPENMETRICS ? base : base + "_total";
  }

  private static long observationsAtMost(double upperBound, double[] observations) {
    return Arrays.stream(observations).filter(v -> v <= upperBound).count();
  }

  private static MetricPoint single(List<MetricPoint> points) {
    assertThat(points).hasSize(1);
    return points.get(0);
  }

  private static Exemplar convert(io.prometheus.metrics.model.snapshots.Exemplar e) {
    if (e == null) {
      return null;
    }
    String[] names = new String[e.getLabels().size()];
    String[] values = new String[names.length];
    for (int i = 0; i < names.length; i++) {
      names[i] = e.getLabels().getName(i);
      values[i] = e.getLabels().getValue(i);
    }
    return new Exemplar(Labels.ofArrays(names, values), e.getValue(),
        e.hasTimestamp() ? e.getTimestampMillis() : MetricPoint.NO_TIMESTAMP);
  }

  private static void assertCreated(WriterVariant w, MetricSnapshot s, String base, CounterPoint c,
      DataPointSnapshot model) {
    assertCreated(w, s, base, c.labels(), c.createdSeconds(), model);
  }

  /**
   * The created time of a point as the writer variant writes it: nowhere, in a separate Prometheus text gauge
   * family {@code base_created}, or as the point's OpenMetrics {@code _created}.
   */
  private static void assertCreated(WriterVariant w, MetricSnapshot s, String base, Labels labels,
      double createdSeconds, DataPointSnapshot model) {
    assertThat(model.hasCreatedTimestamp()).isTrue();
    long millis = model.getCreatedTimestampMillis();
    switch (w.created()) {
      case OPENMETRICS_SAMPLES:
        assertThat(createdSeconds).as("_created of %s%s", base, labels).isEqualTo(millis / 1000.0);
        break;
      case TEXT_GAUGE_MILLIS:
      case TEXT_GAUGE_SECONDS: {
        assertThat(createdSeconds).isNaN();
        MetricFamily created = s.family(base + "_created").orElseThrow();
        GaugePoint g = (GaugePoint) created.points().stream().filter(p -> p.labels().equals(labels)).findFirst()
            .orElseThrow(() -> new AssertionError("no " + base + "_created" + labels));
        double expected = w.created() == Created.TEXT_GAUGE_MILLIS ? (double) millis : millis / 1000.0;
        assertThat(g.value()).as("%s_created%s", base, labels).isEqualTo(expected);
        break;
      }
      default:
        assertThat(createdSeconds).isNaN();
        assertThat(s.family(base + "_created")).isEmpty();
    }
  }
}
