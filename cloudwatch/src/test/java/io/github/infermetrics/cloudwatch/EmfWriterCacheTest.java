package io.github.infermetrics.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The writer remembers the rendered {@code _aws} block and the encodings of repeated property values. Oracle: one
 * long-lived writer, fed a sequence of events whose shape changes step by step, writes every event byte for byte as a
 * fresh writer (which has nothing remembered) writes it alone.
 */
class EmfWriterCacheTest {
  static final long NOW = EmfWriterTest.NOW;

  private static EmfWriter.Builder builder(CapturingSink sink) {
    return EmfWriter.builder("Inference").defaultDimension("cluster", "prod").sink(sink).clock(() -> NOW);
  }

  /** The base event: two dimensions in one set, three metrics, two properties. */
  private static void base(EmfWriter.Event e) {
    e.dimension("model", "qwen3").dimension("engine", "0").dimensionSet("model", "engine")
        .metric("ttft", "Seconds", 0.231).metric("rate", "Count/Second", 12.4).metric("kv", "None", 0.62)
        .property("route", "/v1/chat").property("attempt", 3L);
  }

  private static List<Consumer<EmfWriter.Event>> sequence() {
    List<Consumer<EmfWriter.Event>> events = new ArrayList<>();
    events.add(EmfWriterCacheTest::base);
    events.add(EmfWriterCacheTest::base); // the same shape again: remembered block
    // other values, same shape
    events.add(e -> e.dimension("model", "llama").dimension("engine", "1").dimensionSet("model", "engine")
        .metric("ttft", "Seconds", 0.5).metric("rate", "Count/Second", 1).metric("kv", "None", 0.1)
        .property("route", "/v1/completions").property("attempt", 4L));
    // a unit changes
    events.add(e -> e.dimension("model", "qwen3").dimension("engine", "0").dimensionSet("model", "engine")
        .metric("ttft", "Milliseconds", 231).metric("rate", "Count/Second", 12.4).metric("kv", "None", 0.62));
    // a storage resolution changes
    events.add(e -> e.dimension("model", "qwen3").dimension("engine", "0").dimensionSet("model", "engine")
        .metric("ttft", "Milliseconds", 231, 1).metric("rate", "Count/Second", 12.4).metric("kv", "None", 0.62));
    // a metric name changes, one more metric, one fewer
    events.add(e -> e.dimension("model", "qwen3").dimension("engine", "0").dimensionSet("model", "engine")
        .metric("ttft_p99", "Milliseconds", 231, 1).metric("rate", "Count/Second", 12.4));
    events.add(e -> e.dimension("model", "qwen3").dimension("engine", "0").dimensionSet("model", "engine")
        .metric("ttft_p99", "Milliseconds", 231, 1).metric("rate", "Count/Second", 12.4).metric("x", "Count", 1));
    // metrics in another order
    events.add(e -> e.dimension("model", "qwen3").dimension("engine", "0").dimensionSet("model", "engine")
        .metric("rate", "Count/Second", 12.4).metric("ttft_p99", "Milliseconds", 231, 1).metric("x", "Count", 1));
    // a metric loses its only value (NaN): its definition must go
    events.add(e -> e.dimension("model", "qwen3").dimension("engine", "0").dimensionSet("model", "engine")
        .metric("rate", "Count/Second", Double.NaN).metric("ttft_p99", "Milliseconds", 231, 1)
        .metric("x", "Count", 1));
    // dimension sets: another key, a second set, a set with the same number of keys but other ones, none at all
    events.add(e -> e.dimension("model", "qwen3").dimension("engine", "0").dimensionSet("model")
        .metric("ttft", "Seconds", 0.231));
    events.add(e -> e.dimension("model", "qwen3").dimension("engine", "0").dimensionSet("model")
        .dimensionSet("engine").metric("ttft", "Seconds", 0.231));
    events.add(e -> e.dimension("model", "qwen3").dimension("engine", "0").dimensionSet("engine")
        .dimensionSet("model").metric("ttft", "Seconds", 0.231));
    events.add(e -> e.dimension("model", "qwen3").dimension("engine", "0").dimensionSet("engine", "model")
        .metric("ttft", "Seconds", 0.231));
    events.add(e -> e.dimension("model", "qwen3").metric("ttft", "Seconds", 0.231));
    events.add(e -> e.dimension("model", "qwen3").dimensionSet().metric("ttft", "Seconds", 0.231));
    // the default dimension replaced by the event's own value
    events.add(e -> e.dimension("cluster", "canary").dimensionSet("cluster").metric("ttft", "Seconds", 0.231));
    // an array of values, then a single value again
    events.add(e -> e.metric("ttft", "Seconds", new double[] {0.1, 0.2, 0.3}, 0, 3));
    events.add(e -> e.metric("ttft", "Seconds", 0.1));
    // properties only: no directive
    events.add(e -> e.property("note", "only context"));
    events.add(EmfWriterCacheTest::base);
    // a property slot takes another key, a value with escapes, null, a number
    events.add(e -> e.metric("kv", "None", 0.62).property("other", "/v1/chat").property("route", "a\"b\\c\n"));
    events.add(e -> e.metric("kv", "None", 0.62).property("other", (String) null).property("route", "é€😀"));
    events.add(e -> e.metric("kv", "None", 0.62).property("other", 1.5).property("route", "é€😀"));
    events.add(EmfWriterCacheTest::base);
    return events;
  }

  @Test
  void aLongLivedWriterWritesEveryEventAsAFreshWriter() {
    CapturingSink cached = new CapturingSink();
    EmfWriter w = builder(cached).build();
    List<String> expected = new ArrayList<>();
    for (Consumer<EmfWriter.Event> event : sequence()) {
      CapturingSink fresh = new CapturingSink();
      EmfWriter f = builder(fresh).build();
      EmfWriter.Event e = f.begin(NOW);
      event.accept(e);
      e.end();
      expected.addAll(fresh.lines());

      EmfWriter.Event c = w.begin(NOW);
      event.accept(c);
      c.end();
      assertThat(cached.lines()).as("after %d events", expected.size()).containsExactlyElementsOf(expected);
    }
    cached.parsed(); // and every line is valid EMF
  }

  @Test
  void theSameSequenceWithAFailedEventInBetween() {
    CapturingSink cached = new CapturingSink();
    EmfWriter w = builder(cached).build();
    List<String> expected = new ArrayList<>();
    for (Consumer<EmfWriter.Event> event : sequence()) {
      try {
        w.begin(NOW).dimensionSet("nope").metric("m", "None", 1).end();
      } catch (IllegalArgumentException expectedFailure) {
        // the set names a dimension without a value: nothing written
      }
      CapturingSink fresh = new CapturingSink();
      EmfWriter f = builder(fresh).build();
      EmfWriter.Event e = f.begin(NOW);
      event.accept(e);
      e.end();
      expected.addAll(fresh.lines());
      EmfWriter.Event c = w.begin(NOW);
      event.accept(c);
      c.end();
    }
    assertThat(cached.lines()).containsExactlyElementsOf(expected);
  }

  @Test
  void aMutableValueIsReadAtEveryEvent() {
    CapturingSink sink = new CapturingSink();
    EmfWriter w = builder(sink).build();
    StringBuilder id = new StringBuilder("a");
    for (int i = 0; i < 3; i++) {
      w.begin(NOW).property("id", id).metric("m", "None", 1).end();
      id.append('b');
    }
    assertThat(sink.parsed()).extracting(e -> e.get("id").asText()).containsExactly("a", "ab", "abb");
  }

  @Test
  void anEventThatMustBeSplitAfterARememberedOneIsSplit() {
    CapturingSink sink = new CapturingSink();
    EmfWriter w = builder(sink).build();
    w.begin(NOW).metric("m", "None", 1).end();
    EmfWriter.Event e = w.begin(NOW);
    for (int i = 0; i < 150; i++) {
      e.metric("m" + i, "None", i);
    }
    e.end();
    w.begin(NOW).metric("m", "None", 2).end();
    // 150 metrics: 100 + 50
    assertThat(sink.parsed()).extracting(x -> x.at("/_aws/CloudWatchMetrics/0/Metrics").size())
        .containsExactly(1, 100, 50, 1);
    assertThat(w.eventsSplit()).isEqualTo(1);
  }
}
