package io.github.infermetrics.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Random events (names, values, dimension sets, sizes): every line the writer produces is valid EMF (schema and
 * specification rules, checked by {@link CapturingSink}), and every finite value comes out exactly once, in order,
 * however the event was split.
 */
class EmfWriterPropertiesTest {
  static final long NOW = 1_700_000_000_000L;

  record MetricInput(String name, String unit, List<Double> values) {}

  record EventInput(Map<String, String> dimensions, List<List<String>> sets, List<MetricInput> metrics,
      Map<String, String> properties) {}

  @Provide
  Arbitrary<String> names() {
    // any characters, including quotes, controls and non-ASCII; names must be valid UTF-16
    return texts().filter(s -> EmfWriter.metricNameProblem(s) == null);
  }

  /** Any characters, lone surrogates included: values may hold them (they are written as U+FFFD). */
  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.strings().all().ofMinLength(1).ofMaxLength(40);
  }

  @Provide
  Arbitrary<String> dimensionKeys() {
    return Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(30)
        .filter(s -> s.charAt(0) != ':' && !EmfLimits.RESERVED_KEYS.contains(s));
  }

  @Provide
  Arbitrary<Double> values() {
    return Arbitraries.oneOf(
        Arbitraries.doubles(),
        Arbitraries.doubles().between(-1e6, 1e6),
        Arbitraries.doubles().between(1e-9, 1e-2).ofScale(15),
        Arbitraries.longs().map(Double::longBitsToDouble), // every bit pattern: subnormals, NaNs, extremes
        Arbitraries.longs().map(Long::doubleValue),
        Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE,
            Double.MAX_VALUE, -0.0, 0.0));
  }

  @Provide
  Arbitrary<EventInput> events() {
    Arbitrary<Map<String, String>> dims = Arbitraries.maps(dimensionKeys(),
        texts().filter(v -> !v.isBlank())).ofMaxSize(8);
    Arbitrary<List<MetricInput>> metrics = Combinators.combine(names(), Arbitraries.of(EmfLimits.UNITS),
        values().list().ofMinSize(1).ofMaxSize(150)).as(MetricInput::new).list().ofMaxSize(150)
        .uniqueElements(MetricInput::name);
    Arbitrary<Map<String, String>> props = Arbitraries.maps(names(), texts()).ofMaxSize(6);
    return Combinators.combine(dims, metrics, props, Arbitraries.integers().between(0, 3)).as((d, m, p, sets) -> {
      List<String> keys = new ArrayList<>(d.keySet());
      List<List<String>> s = new ArrayList<>();
      for (int i = 0; i < sets && !keys.isEmpty(); i++) {
        s.add(keys.subList(0, Math.min(keys.size(), i + 1)));
      }
      // keep keys unique across dimensions, metrics and properties, as the writer requires
      Map<String, String> props2 = new LinkedHashMap<>(p);
      props2.keySet().removeAll(d.keySet());
      List<MetricInput> m2 = new ArrayList<>(m);
      m2.removeIf(x -> d.containsKey(x.name()) || props2.containsKey(x.name()));
      return new EventInput(d, s, m2, props2);
    });
  }

  @Property(tries = 80)
  void everyLineIsValidAndNoFiniteValueIsLost(@ForAll("events") EventInput in,
      @ForAll @IntRange(min = 4096, max = 65536) int maxBytes) {
    CapturingSink sink = new CapturingSink(maxBytes);
    EmfWriter w = EmfWriter.builder("Inference").sink(sink).maxEventBytes(maxBytes).clock(() -> NOW).build();
    EmfWriter.Event e = w.begin(NOW);
    in.dimensions().forEach(e::dimension);
    for (List<String> set : in.sets()) {
      e.dimensionSet(set.toArray(String[]::new));
    }
    in.properties().forEach(e::property);
    long nonFinite = 0;
    Map<String, List<Double>> expected = new LinkedHashMap<>();
    for (MetricInput m : in.metrics()) {
      double[] v = m.values().stream().mapToDouble(Double::doubleValue).toArray();
      e.metric(m.name(), m.unit(), v, 0, v.length);
      List<Double> finite = new ArrayList<>();
      for (double x : v) {
        if (Double.isFinite(x)) {
          finite.add(x);
        } else {
          nonFinite++;
        }
      }
      if (!finite.isEmpty()) {
        expected.put(m.name(), finite);
      }
    }
    e.end();

    List<ObjectNode> events = sink.parsed(); // each one valid, or the sink has failed the test already
    if (w.eventsDropped() == 0) {
      Map<String, List<Double>> actual = EmfCheck.metricValues(events);
      assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
      expected.forEach((name, values) -> assertThat(actual.get(name)).as(name)
          .usingElementComparator(Double::compare).containsExactlyElementsOf(values));
      for (ObjectNode x : events) {
        in.dimensions().forEach((k, v) -> {
          if (v.chars().noneMatch(c -> Character.isSurrogate((char) c))) {
            assertThat(x.get(k).asText()).isEqualTo(v);
          }
        });
        assertThat(x.size() - 1).isGreaterThanOrEqualTo(in.dimensions().size() + in.properties().size());
      }
    } else {
      // only dimensions and properties too large for the limit on their own drop an event
      assertThat(events).isEmpty();
    }
    assertThat(w.nonFiniteDropped()).isEqualTo(nonFinite);
    assertThat(w.eventsSplit()).isEqualTo(Math.max(0, events.size() - 1));
  }
}
