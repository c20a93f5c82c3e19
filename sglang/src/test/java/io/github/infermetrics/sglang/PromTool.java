package io.github.infermetrics.sglang;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Checks PromQL with Prometheus's own parser ({@code promtool check rules}); skips when promtool is missing. */
final class PromTool {
  private PromTool() {}

  /** Asserts that every expression parses, with Grafana's variables replaced by values. */
  static void assertParses(List<String> expressions, Path dir) throws IOException, InterruptedException {
    String promtool = find();
    Assumptions.assumeTrue(promtool != null, "promtool is not on the PATH; skipping the PromQL syntax check");
    StringBuilder rules = new StringBuilder("groups:\n- name: dashboard\n  rules:\n");
    for (int i = 0; i < expressions.size(); i++) {
      String e = expressions.get(i).replace("$__rate_interval", "5m").replaceAll("\\$[a-z_]+", ".*");
      rules.append("  - record: r").append(i).append("\n    expr: '").append(e.replace("'", "''")).append("'\n");
    }
    Path file = dir.resolve("rules.yml");
    Files.writeString(file, rules);
    Process p = new ProcessBuilder(promtool, "check", "rules", file.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  private static String find() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(dir, "promtool");
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    return null;
  }
}
