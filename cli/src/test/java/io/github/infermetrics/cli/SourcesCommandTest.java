package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourcesCommandTest {
  @TempDir
  Path dir;

  @Test
  void listsTheRegisteredSourcesOneALine() {
    CliRun r = CliRun.of("sources");
    assertThat(r.code()).as(r.err()).isZero();
    // the built-in ones from their modules' registrations, and the one of the test class path
    assertThat(r.out().lines().map(l -> l.split(" +", 2)[0]))
        .contains("triton", "vllm", "neuron", "myqueue").doesNotHaveDuplicates();
    assertThat(r.out()).containsPattern("(?m)^myqueue +our queue service: my_queue_waiting, my_queue_done_total$");
  }

  @Test
  void aSourceOfYourOwnWorksInKpi() throws IOException {
    String prev = "# TYPE my_queue_waiting gauge\nmy_queue_waiting{model=\"a\"} 4\n"
        + "# TYPE my_queue_done_total counter\nmy_queue_done_total{model=\"a\"} 100\n";
    String curr = prev.replace("} 4", "} 7").replace("} 100", "} 130");
    CliRun auto = CliRun.of("kpi", "--source", "auto", "--window", "10", "--json",
        CliRun.file(dir, "prev.prom", prev), CliRun.file(dir, "curr.prom", curr));
    assertThat(auto.code()).as(auto.err()).isZero();
    // 30 jobs in 10 s; 7 waiting now
    assertThat(auto.out()).startsWith("{\"source\":\"myqueue\"")
        .contains("{\"name\":\"queue_depth\",\"dimensions\":{\"model\":\"a\"},\"value\":7}")
        .contains("\"done_per_second\":3");
    CliRun named = CliRun.of("kpi", "--source", "myqueue", "--window", "10",
        CliRun.file(dir, "p.prom", prev), CliRun.file(dir, "c.prom", curr));
    assertThat(named.code()).as(named.err()).isZero();
    assertThat(named.out()).startsWith("source: myqueue, window: 10 s").contains("WAITING").contains("DONE/S");
  }
}
