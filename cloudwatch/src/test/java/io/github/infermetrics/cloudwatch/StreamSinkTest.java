package io.github.infermetrics.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamSinkTest {
  static final long NOW = 1_700_000_000_000L;

  @TempDir
  Path dir;

  @Test
  void fileSinkAppendsOneEventPerLine() throws Exception {
    Path file = dir.resolve("emf.log");
    Files.writeString(file, "{\"earlier\":1}\n");
    try (EmfSink sink = EmfSinks.parse(file.toString())) {
      EmfWriter w = EmfWriter.builder("Inference").sink(sink).build();
      w.begin(System.currentTimeMillis()).metric("a", "Count", 1).end();
      w.begin(System.currentTimeMillis()).metric("b", "Count", 2).end();
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).isEqualTo("{\"earlier\":1}");
    for (String line : lines.subList(1, 3)) {
      EmfCheck.valid(line.getBytes(StandardCharsets.UTF_8), EmfLimits.MAX_EVENT_BYTES);
    }
  }

  @Test
  void linesFromManyThreadsNeverInterleaveOnStdout() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    int threads = 4;
    int perThread = 500;
    try {
      StreamSink sink = (StreamSink) EmfSinks.parse("stdout");
      List<Thread> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        workers.add(new Thread(() -> {
          EmfWriter w = EmfWriter.builder("Inference").sink(sink).build(); // one writer per thread
          for (int i = 0; i < perThread; i++) {
            w.begin(System.currentTimeMillis()).dimension("thread", "t" + id).dimensionSet("thread")
                .property("padding", "x".repeat(i % 300)).metric("i", "Count", i).end();
            if (i % 50 == 0) {
              System.out.println("{\"other\":\"println from elsewhere\"}");
            }
          }
        }));
      }
      workers.forEach(Thread::start);
      for (Thread w : workers) {
        w.join();
      }
      sink.close();
      assertThat(sink.written()).isEqualTo(threads * perThread);
      assertThat(sink.dropped()).isZero();
    } finally {
      System.setOut(original);
    }
    String[] lines = captured.toString(StandardCharsets.UTF_8).split("\n");
    // every event is one intact line (the printlns are intact lines too, not EMF)
    int events = 0;
    for (String line : lines) {
      if (line.startsWith("{\"other\"")) {
        assertThat(line).isEqualTo("{\"other\":\"println from elsewhere\"}");
      } else {
        EmfCheck.valid(line.getBytes(StandardCharsets.UTF_8), EmfLimits.MAX_EVENT_BYTES);
        events++;
      }
    }
    assertThat(events).isEqualTo(threads * perThread);
  }

  @Test
  void failedWritesAndEventsAfterCloseAreCounted() {
    OutputStream broken = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("disk full");
      }
    };
    StreamSink sink = new StreamSink(broken, true);
    sink.accept(new byte[] {'{', '}'}, 0, 2, NOW);
    assertThat(sink.dropped()).isEqualTo(1);
    assertThat(sink.lastFailure()).hasMessage("disk full");
    sink.close();
    sink.accept(new byte[] {'{', '}'}, 0, 2, NOW);
    assertThat(sink.dropped()).isEqualTo(2);
  }

  @Test
  void parseKnowsEverySpec() {
    try (EmfSink tcp = EmfSinks.parse("tcp://127.0.0.1:25888");
        EmfSink udp = EmfSinks.parse("udp://[::1]:25888");
        EmfSink out = EmfSinks.parse(" stdout ")) {
      assertThat(tcp).isInstanceOf(AgentSink.class).hasToString(
          "AgentSink[tcp://127.0.0.1:25888, delivered=0, dropped=0]");
      assertThat(udp).isInstanceOf(AgentSink.class).hasToString("AgentSink[udp://::1:25888, delivered=0, dropped=0]");
      assertThat(out).isInstanceOf(StreamSink.class);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "tcp://127.0.0.1", "tcp://:25888", "udp://host:0", "udp://host:70000",
      "http://127.0.0.1:25888", "tcp://host:25888/path", "tcp://user@host:1"})
  void parseRejectsBadSpecs(String spec) {
    assertThatThrownBy(() -> EmfSinks.parse(spec)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("EMF sink");
  }
}
