package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.github.infermetrics.core.testing.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end in one JVM: simulators → {@code watch --demo --once --json --emf FILE} → KPIs and EMF. */
class WatchDemoTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void theDemoGivesEverySourcesKpisInTheRangeOfItsLoadAndValidEmf() throws IOException {
    Path emf = dir.resolve("demo.emf.ndjson");
    CliRun r = CliRun.of("watch", "--demo", "--once", "--json", "--interval", "2s", "--emf", emf.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode moment = JSON.readTree(r.out());
    JsonNode targets = moment.get("targets");
    assertThat(targets).extracting(t -> t.get("target").asText())
        .containsExactly("vllm-demo", "sglang-demo", "tgi-demo", "triton-demo", "neuron-demo", "gpu-demo");
    for (JsonNode t : targets) {
      assertThat(t.get("up").asBoolean()).as(t.toString()).isTrue();
    }
    // the demo's load is burst:4-16/30s/10s, so the first seconds send 16 requests/s; vLLM counts a request when
    // it finishes, seconds later (it streams ~100 tokens), so the first windows see fewer
    double vllmRate = kpi(targets.get(0), "request_rate_per_second", "model", "Qwen/Qwen3-8B");
    assertThat(vllmRate).isBetween(0.5, 40.0);
    assertThat(kpi(targets.get(0), "time_to_first_token_seconds_p95", "model", "Qwen/Qwen3-8B"))
        .isBetween(0.001, 10.0);
    assertThat(kpi(targets.get(0), "generation_token_rate_per_second", "model", "Qwen/Qwen3-8B")).isPositive();
    double tritonRate = 0;
    for (JsonNode v : targets.get(3).get("kpis").get("kpis")) {
      if (v.get("name").asText().equals("request_rate_per_second")) {
        tritonRate += v.get("value").asDouble();
      }
    }
    // the base load is 4 requests/s; a loaded machine (5 simulators on 2 cores) lags the simulator's clock a little
    assertThat(tritonRate).isBetween(2.0, 40.0);
    assertThat(kpi(targets.get(4), "request_rate_per_second", null, null)).isPositive();
    // the vLLM target has the utilisation of its pod's GPUs, from the dcgm-exporter target (issue 19)
    JsonNode vllm = targets.get(0);
    boolean gpus = false;
    for (JsonNode w : vllm.get("windows")) {
      if (w.get("source").asText().equals("accelerators")) {
        for (JsonNode v : w.get("kpis")) {
          if (v.get("name").asText().equals("accelerator_utilization_ratio")) {
            assertThat(v.get("value").asDouble()).isBetween(0.0, 1.0);
            assertThat(v.get("dimensions").get("pod").asText()).isEqualTo("demo/vllm-demo-0");
            gpus = true;
          }
        }
      }
    }
    assertThat(gpus).as("accelerator utilisation joined to vllm-demo: %s", vllm).isTrue();
    // a mixed LLM fleet lines up: the columns vLLM, SGLang and TGI share are filled for all three (TGI has no
    // time to first token and no KV cache by design; SGLang's error ratio needs an abort first)
    for (int i = 0; i < 3; i++) {
      JsonNode t = targets.get(i);
      String model = i == 0 ? "Qwen/Qwen3-8B" : i == 1 ? "Qwen/Qwen2.5-7B-Instruct" : null;
      for (String name : new String[] {"request_rate_per_second", "generation_token_rate_per_second",
          "queue_depth", "batch_size"}) {
        assertThat(kpi(t, name, model == null ? null : "model", model)).as(t.get("target") + " " + name)
            .isNotNaN();
      }
    }

    List<String> lines = Files.readAllLines(emf);
    assertThat(lines).isNotEmpty();
    JsonSchema schema = schema();
    for (String line : lines) {
      JsonNode event = JSON.readTree(line);
      if (schema != null) {
        assertThat(schema.validate(event)).as(line).isEmpty();
      }
      // the rules the schema misses: every metric declared is present and finite
      for (JsonNode directive : event.get("_aws").get("CloudWatchMetrics")) {
        assertThat(directive.get("Namespace").asText()).isEqualTo("infermetrics");
        for (JsonNode m : directive.get("Metrics")) {
          JsonNode value = event.get(m.get("Name").asText());
          assertThat(value).as(line).isNotNull();
          assertThat(value.isNumber() || value.isArray()).as(line).isTrue();
        }
        for (JsonNode set : directive.get("Dimensions")) {
          for (JsonNode key : set) {
            assertThat(event.get(key.asText())).as(line).isNotNull();
          }
        }
      }
    }
    assertThat(r.err()).contains("EMF: ").contains(emf.toString());
  }

  /** The value of one KPI of a target's JSON, with one dimension (or none at all when {@code key} is null). */
  private static double kpi(JsonNode target, String name, String key, String value) {
    for (JsonNode v : target.get("kpis").get("kpis")) {
      JsonNode dims = v.get("dimensions");
      boolean match = key == null ? dims.isEmpty() : dims.size() == 1 && value.equals(dims.path(key).asText());
      if (v.get("name").asText().equals(name) && match) {
        return v.get("value").asDouble();
      }
    }
    throw new AssertionError("no " + name + " {" + key + "=" + value + "} in " + target);
  }

  private static JsonSchema schema() throws IOException {
    Path root = SharedData.root();
    Path p = root == null ? null : root.resolve("schemas/emf.schema.json");
    if (p == null || !Files.exists(p)) {
      System.err.println("WatchDemoTest: ../shared/schemas/emf.schema.json is not available; EMF lines are checked"
          + " against the specification's rules only");
      return null;
    }
    try (InputStream in = Files.newInputStream(p)) {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
    }
  }
}
