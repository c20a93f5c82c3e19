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

/** {@code infermetrics simulate --dcgm PORT}: a dcgm-exporter whose GPUs are the vLLM simulator's engines. */
class SimulateDcgmTest {

  @Test
  void servesTheVllmEnginesGpusHeldByTheDemoPodAndAnIdleOne() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicInteger code = new AtomicInteger(-1);
    Thread run = new Thread(() -> code.set(Main.run(new String[] {"simulate", "--vllm", "0", "--engines", "2",
        "--dcgm", "0", "--pattern", "steady:10", "--seed", "3"}, new PrintWriter(out), new PrintWriter(err))));
    run.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!err.toString().contains("running; Ctrl-C stops") && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(err.toString()).contains("running; Ctrl-C stops")
        .contains("(GPUs of pod demo/vllm-demo-0 follow the vLLM load)");
    Matcher m = Pattern.compile("dcgm:\\s+(http://\\S+/metrics)").matcher(err.toString());
    assertThat(m.find()).isTrue();
    String body;
    try (InputStream in = URI.create(m.group(1)).toURL().openStream()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    // engines 0 and 1 are the pod's GPUs 0 and 1; GPU 2 is idle and no pod's
    assertThat(body).contains("# TYPE DCGM_FI_PROF_GR_ENGINE_ACTIVE gauge\n")
        .containsPattern("DCGM_FI_DEV_FB_USED\\{gpu=\"1\",[^}]*,container=\"vllm\",namespace=\"demo\","
            + "pod=\"vllm-demo-0\"} 20725\n")
        .containsPattern("DCGM_FI_DEV_FB_USED\\{gpu=\"2\",[^}]*DCGM_FI_DRIVER_VERSION=\"[0-9.]+\"} 0\n");
    run.interrupt();
    run.join(10_000);
    assertThat(run.isAlive()).isFalse();
    assertThat(code.get()).isZero();
  }

  @Test
  void theHelpShowsTheOptionWithAnExample() {
    CliRun r = CliRun.of("simulate", "--dcgm", "0", "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("--dcgm=PORT").contains("infermetrics simulate --vllm 8000 --engines 2 --dcgm 9400");
  }

}
