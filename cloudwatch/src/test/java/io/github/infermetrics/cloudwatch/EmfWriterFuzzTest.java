package io.github.infermetrics.cloudwatch;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuzz target for the EMF writer: a random sequence of calls with random names, units and values. Every call
 * either succeeds or throws {@link IllegalArgumentException} with a message (which discards the event, writing
 * nothing); every event that reaches the sink is
 * valid EMF within the size limit ({@link CapturingSink} checks each with {@link EmfCheck}); and when the writer
 * dropped no event, every finite value of an accepted metric call comes out, in order.
 */
class EmfWriterFuzzTest {
  private static final long NOW = 1_700_000_000_000L;
  private static final String[] UNITS = EmfLimits.UNITS.stream().sorted().toArray(String[]::new);

  @FuzzTest
  void randomCalls(FuzzedDataProvider data) {
    int maxBytes = data.consumeInt(4096, 64 * 1024);
    CapturingSink sink = new CapturingSink(maxBytes);
    EmfWriter w = EmfWriter.builder("Inference").sink(sink).maxEventBytes(maxBytes).clock(() -> NOW).build();
    EmfWriter.Event e = w.begin(NOW);
    Map<String, List<Double>> expected = new LinkedHashMap<>();
    List<String> keys = new ArrayList<>();
    int calls = data.consumeInt(0, 64);
    for (int i = 0; i < calls && data.remainingBytes() > 0; i++) {
      String key = data.consumeBoolean() && !keys.isEmpty() ? data.pickValue(keys) : data.consumeString(48);
      try {
        switch (data.consumeInt(0, 7)) {
          case 0 -> e.dimension(key, data.consumeString(64));
          case 1 -> e.dimensionSet(keys.subList(0, data.consumeInt(0, keys.size())).toArray(String[]::new));
          case 2 -> {
            double v = value(data);
            e.metric(key, unit(data), v);
            record(expected, key, v);
          }
          case 3 -> {
            double[] values = new double[data.consumeInt(0, 200)];
            for (int j = 0; j < values.length; j++) {
              values[j] = value(data);
            }
            e.metric(key, unit(data), values, 0, values.length);
            for (double v : values) {
              record(expected, key, v);
            }
          }
          case 4 -> e.property(key, data.consumeString(256));
          case 5 -> e.property(key, value(data));
          case 6 -> e.propertyJson(key, data.consumeString(256));
          default -> e.property(key, data.consumeLong());
        }
        keys.add(key);
      } catch (IllegalArgumentException ex) {
        // documented: a bad argument discards the open event, and nothing reaches the sink
        clearError(ex);
        if (!sink.events.isEmpty()) {
          throw new AssertionError("a discarded event wrote " + sink.events.size() + " events", ex);
        }
        return;
      }
    }
    try {
      e.end();
    } catch (IllegalArgumentException ex) {
      clearError(ex);
      if (!sink.events.isEmpty()) {
        throw new AssertionError("end() failed but wrote " + sink.events.size() + " events", ex);
      }
      return;
    }
    // each event was checked on its way into the sink
    if (w.eventsDropped() == 0) {
      Map<String, List<Double>> actual = EmfCheck.metricValues(sink.parsed());
      expected.values().removeIf(List::isEmpty);
      for (Map.Entry<String, List<Double>> m : expected.entrySet()) {
        List<Double> got = actual.get(m.getKey());
        if (got == null || !sameValues(got, m.getValue())) {
          throw new AssertionError("metric " + m.getKey() + ": wrote " + m.getValue() + ", the events hold " + got);
        }
      }
    }
  }

  private static double value(FuzzedDataProvider data) {
    return switch (data.consumeInt(0, 2)) {
      case 0 -> data.consumeRegularDouble();
      case 1 -> Double.longBitsToDouble(data.consumeLong()); // every bit pattern: NaNs, subnormals, infinities
      default -> data.consumeInt();
    };
  }

  private static String unit(FuzzedDataProvider data) {
    return data.consumeBoolean() ? data.pickValue(UNITS) : data.consumeString(16);
  }

  private static void record(Map<String, List<Double>> expected, String name, double v) {
    List<Double> values = expected.computeIfAbsent(name, k -> new ArrayList<>());
    if (Double.isFinite(v)) {
      values.add(v);
    }
  }

  private static boolean sameValues(List<Double> a, List<Double> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (Double.compare(a.get(i), b.get(i)) != 0) {
        return false;
      }
    }
    return true;
  }

  private static void clearError(IllegalArgumentException ex) {
    if (ex.getMessage() == null || ex.getMessage().isBlank()) {
      throw new AssertionError("an IllegalArgumentException without a message", ex);
    }
  }
}
