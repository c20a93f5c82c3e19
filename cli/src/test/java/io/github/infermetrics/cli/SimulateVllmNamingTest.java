package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code infermetrics simulate --vllm-naming}: the vLLM simulator in Ray Serve LLM's or NIM's spelling. */
class SimulateVllmNamingTest {
  @Test
  void servesTheChosenSpelling() throws Exception {
    StringWriter err = new StringWriter();
    AtomicInteger code = new AtomicInteger(-1);
    Thread run = new Thread(() -> code.set(Main.run(new String[] {"simulate", "--vllm", "0", "--vllm-naming",
        "ray-underscore", "--pattern", "steady:1", "--seed", "3"}, new PrintWriter(new StringWriter()),
        new PrintWriter(err))));
    run.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!err.toString().contains("running; Ctrl-C stops") && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Matcher m = Pattern.compile("vllm:\\s+(http://\\S+/metrics)").matcher(err.toString());
    assertThat(m.find()).as(err.toString()).isTrue();
    String body;
    try (InputStream in = URI.create(m.group(1)).toURL().openStream()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(body).contains("# TYPE ray_vllm_num_requests_running gauge").contains("ReplicaId=\"")
        .doesNotContain("vllm:");
    run.interrupt();
    run.join(10_000);
    assertThat(code.get()).isZero();
  }

  @Test
  void anUnknownNamingIsAUsageError() {
    CliRun r = CliRun.of("simulate", "--vllm", "0", "--vllm-naming", "kserve");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("unknown vLLM naming 'kserve': use vllm, ray, ray-underscore or nim");
  }
}
