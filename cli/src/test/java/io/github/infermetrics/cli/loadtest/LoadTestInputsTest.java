package io.github.infermetrics.cli.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a load test reads from its user: sweeps, lengths, objectives, prompt files; and how it computes percentiles. */
class LoadTestInputsTest {
  @TempDir
  Path dir;

  @Test
  void sweepsAreListsAndRangesThatMultiplyOrAdd() {
    assertThat(LoadLevels.parse("--rate", "1,2,4,8", false)).containsExactly(1.0, 2.0, 4.0, 8.0);
    assertThat(LoadLevels.parse("--concurrency", "1..64x2", true)).containsExactly(1.0, 2.0, 4.0, 8.0, 16.0, 32.0,
        64.0);
    assertThat(LoadLevels.parse("--concurrency", "1..10", true)).containsExactly(1.0, 2.0, 4.0, 8.0);
    assertThat(LoadLevels.parse("--concurrency", "4..16+4", true)).containsExactly(4.0, 8.0, 12.0, 16.0);
    assertThat(LoadLevels.parse("--rate", "0.1..0.5+0.1", false)).containsExactly(0.1, 0.2, 0.3, 0.4, 0.5);
    assertThat(LoadLevels.parse("--rate", "0.5,1..4x2,10", false)).containsExactly(0.5, 1.0, 2.0, 4.0, 10.0);
    assertThat(LoadLevels.parse("--concurrency", "1..100x3", true)).containsExactly(1.0, 3.0, 9.0, 27.0, 81.0);
  }

  @Test
  void aBadSweepIsOneLineNamingTheFlag() {
    assertThatThrownBy(() -> LoadLevels.parse("--rate", "4,2", false))
        .hasMessage("--rate: loads must increase, but 2 comes after 4 in '4,2'");
    assertThatThrownBy(() -> LoadLevels.parse("--rate", "1,,2", false))
        .hasMessage("--rate: empty item in '1,,2' (for example 1,2,4,8 or 0.5..16x2)");
    assertThatThrownBy(() -> LoadLevels.parse("--rate", "fast", false))
        .hasMessage("--rate: not a number: 'fast' in 'fast' (for example 1,2,4,8 or 0.5..16x2)");
    assertThatThrownBy(() -> LoadLevels.parse("--concurrency", "1.5", true))
        .hasMessage("--concurrency: a concurrency is a whole number of requests, got '1.5'");
    assertThatThrownBy(() -> LoadLevels.parse("--rate", "0,1", false))
        .hasMessage("--rate: loads must be more than 0, got '0'");
    assertThatThrownBy(() -> LoadLevels.parse("--rate", "8..1", false))
        .hasMessage("--rate: range '8..1' goes down; loads must increase");
    assertThatThrownBy(() -> LoadLevels.parse("--rate", "1..8x1", false))
        .hasMessage("--rate: the factor after x must be more than 1 in '1..8x1'");
    assertThatThrownBy(() -> LoadLevels.parse("--rate", "1..1000+1", false))
        .hasMessage("--rate: more than 100 steps in '1..1000+1'");
  }

  @Test
  void tokenLengthsAreFixedOrUniformFromTheSeed() {
    TokenLengths fixed = TokenLengths.parse("--input-tokens", "512");
    assertThat(fixed.sample(new Random(1))).isEqualTo(512);
    TokenLengths range = TokenLengths.parse("--input-tokens", "10..12");
    Set<Integer> seen = new HashSet<>();
    Random r = new Random(1);
    for (int i = 0; i < 200; i++) {
      seen.add(range.sample(r));
    }
    assertThat(seen).containsExactlyInAnyOrder(10, 11, 12);
    assertThatThrownBy(() -> TokenLengths.parse("--output-tokens", "many"))
        .hasMessage("--output-tokens: expected N or MIN..MAX tokens, for example 512 or 128..1024, got 'many'");
    assertThatThrownBy(() -> TokenLengths.parse("--output-tokens", "0")).hasMessageStartingWith("--output-tokens:");
    assertThatThrownBy(() -> TokenLengths.parse("--output-tokens", "9..3")).hasMessage(
        "--output-tokens: '9..3' goes down; write MIN..MAX");
  }

  @Test
  void syntheticPromptsAreOneTokenPerWordAndReproducible() {
    PromptSource a = PromptSource.synthetic(new TokenLengths(100, 100), new TokenLengths(7, 7), 42);
    PromptSource b = PromptSource.synthetic(new TokenLengths(100, 100), new TokenLengths(7, 7), 42);
    Prompt p = a.next();
    assertThat(p.text()).isEqualTo(b.next().text());
    assertThat(p.text().split(" ")).hasSize(100);
    // 4 characters a token, the simulators' rule: 100 words of 3 letters and 99 spaces
    assertThat(Prompt.estimateTokens(p.text())).isEqualTo(100);
    assertThat(p.maxTokens()).isEqualTo(7);
    assertThat(a.next().text()).isNotEqualTo(p.text());
  }

  @Test
  void percentilesAreNumpysLinearInterpolation() {
    // numpy.percentile([1, 2, 3, 4], [50, 90, 95, 99]) = 2.5, 3.7, 3.85, 3.97
    Summary s = Summary.of(new double[] {4, 1, 3, 2, Double.NaN});
    assertThat(s.count()).isEqualTo(4);
    assertThat(s.mean()).isEqualTo(2.5);
    assertThat(s.p50()).isEqualTo(2.5);
    assertThat(s.p90()).isEqualTo(3.7, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(s.p95()).isEqualTo(3.85, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(s.p99()).isEqualTo(3.97, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(s.max()).isEqualTo(4);
    assertThat(Summary.of(new double[] {7}).p99()).isEqualTo(7);
    assertThat(Summary.of(new double[0]).p50()).isNaN();
  }

  @Test
  void numbersAreWrittenExactlyAndReadBackTheSame() {
    for (double v : new double[] {0.081234, 1e-7, 123456.789, 3.0, 0.1 + 0.2, 2.0 / 3}) {
      assertThat(Double.parseDouble(Figures.exact(v))).isEqualTo(v);
      assertThat(Figures.exact(v)).doesNotContain("E");
    }
    assertThat(Figures.micros(81234)).isEqualTo("0.081234");
    assertThat(Double.parseDouble(Figures.micros(81234))).isEqualTo(81234 / 1e6);
    assertThat(Figures.duration(0.0834)).isEqualTo("83.4 ms");
    assertThat(Figures.percent(0.975)).isEqualTo("97.5 %");
    assertThat(Figures.usd(0.5432)).isEqualTo("$0.54");
  }

  @Test
  void settingsSayWhichOptionsDoNotGoTogether() {
    URI server = URI.create("http://127.0.0.1:8000");
    assertThatThrownBy(() -> LoadTestSettings.builder(server).out(dir).build())
        .hasMessageStartingWith("give the loads: --rate 1,2,4,8");
    assertThatThrownBy(() -> LoadTestSettings.builder(server).slo("queue=1s"))
        .hasMessage("--slo: a client cannot see queue time (queue<=1s); use ttft, itl (tpot) or e2e");
    assertThatThrownBy(() -> LoadTestSettings.builder(server).slo("ttft=soon")).hasMessageStartingWith(
        "--slo: SLO 'ttft=soon': not a duration");
    assertThatThrownBy(() -> LoadTestSettings.builder(server).rates("1").stream(false).out(dir).build())
        .hasMessageStartingWith("--slo ttft<=500ms needs streaming");
    assertThatThrownBy(() -> LoadTestSettings.builder(URI.create("http://h/v1/completions")).api("chat"))
        .hasMessage("--api chat, but the URL http://h/v1/completions is the completions endpoint");
    assertThatThrownBy(() -> LoadTestSettings.builder(server).concurrencies("1..64x2").maxOutstanding(32).out(dir)
        .build()).hasMessage("--concurrency 64 is more than --max-outstanding 32");
    assertThatThrownBy(() -> LoadTestSettings.builder(server).goodputTarget(1.5))
        .hasMessage("--goodput-target: a share above 0 and at most 1, got 1.5");
    LoadTestSettings s = LoadTestSettings.builder(server).rates("1,2").slo("e2e=30s").stream(false).out(dir)
        .build();
    assertThat(s.metrics).hasToString("http://127.0.0.1:8000/metrics");
    assertThat(s.label).isEqualTo(dir.getFileName().toString());
    assertThat(s.stepTimeLimit).hasSeconds(130);
  }

  @Test
  void jsonlPromptsAreReadLineByLineAndABadLineIsNamed() throws Exception {
    Path f = dir.resolve("prompts.jsonl");
    Files.writeString(f, "{\"prompt\": \"hello there\", \"max_tokens\": 16}\n\n{\"prompt\": \"second\"}\n",
        StandardCharsets.UTF_8);
    PromptSource p = PromptFiles.jsonl(f, new TokenLengths(9, 9), 10, 1);
    Set<String> texts = new HashSet<>();
    Set<Integer> max = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      Prompt x = p.next();
      texts.add(x.text());
      max.add(x.maxTokens());
    }
    assertThat(texts).containsExactlyInAnyOrder("hello there", "second");
    assertThat(max).containsExactlyInAnyOrder(16, 9);
    assertThat(p.describe()).isEqualTo("prompts.jsonl: 2 JSONL prompts");
    Files.writeString(f, "{\"prompt\": \"ok\"}\n{\"text\": \"no prompt\"}\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> PromptFiles.jsonl(f, new TokenLengths(9, 9), 10, 1))
        .hasMessageStartingWith(f + ":2: expected an object with a non-empty \"prompt\" string");
    Files.writeString(f, "{\"prompt\": \"ok\", \"max_tokens\": -3}\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> PromptFiles.jsonl(f, new TokenLengths(9, 9), 10, 1))
        .hasMessage(f + ":1: \"max_tokens\" must be a whole number of at least 1, got -3");
    Files.writeString(f, "not json\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> PromptFiles.jsonl(f, new TokenLengths(9, 9), 10, 1))
        .hasMessageStartingWith(f + ":1: not JSON");
  }

  @Test
  void shareGptIsFilteredAsVllmBenchServeDoesAndSampledFromTheSeed() throws IOException, Exception {
    Path f = dir.resolve("sharegpt.json");
    StringBuilder sb = new StringBuilder("[\n");
    for (int i = 0; i < 50; i++) {
      sb.append("{\"id\": \"c").append(i).append("\", \"conversations\": [{\"from\": \"human\", \"value\": \"")
          .append("question number ").append(i).append(" please\"}, {\"from\": \"gpt\", \"value\": \"")
          .append("an answer of some length ".repeat(1 + i % 3)).append("\"}]},\n");
    }
    sb.append("{\"id\": \"one turn\", \"conversations\": [{\"from\": \"human\", \"value\": \"alone here\"}]},\n");
    sb.append("{\"id\": \"short\", \"conversations\": [{\"from\": \"human\", \"value\": \"hi\"},"
        + " {\"from\": \"gpt\", \"value\": \"hello\"}]}\n]\n");
    Files.writeString(f, sb.toString(), StandardCharsets.UTF_8);
    PromptSource p = PromptFiles.shareGpt(f, null, 20, 3);
    assertThat(p.describe()).isEqualTo("sharegpt.json: 20 sampled of 50 of 52 ShareGPT conversations");
    Prompt first = p.next();
    assertThat(first.text()).startsWith("question number ");
    // the answer's length says how many tokens to ask for: 25, 50 or 75 characters, 4 a token
    assertThat(first.maxTokens()).isIn(7, 13, 19);
    assertThat(PromptFiles.shareGpt(f, null, 20, 3).next().text()).isEqualTo(first.text());
    assertThat(PromptFiles.shareGpt(f, new TokenLengths(5, 5), 20, 3).next().maxTokens()).isEqualTo(5);
    Files.writeString(f, "{\"conversations\": []}", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> PromptFiles.shareGpt(f, null, 20, 3)).hasMessageStartingWith(f
        + ":1: a ShareGPT file is a JSON array");
    Files.writeString(f, "[{\"conversations\": [{\"value\": \"a\"}, {\"value\": \"b\"}]}]", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> PromptFiles.shareGpt(f, null, 20, 3))
        .hasMessage(f + ": none of its 1 conversations has a usable first exchange");
    Files.writeString(f, "[\n{\"conversations\": 3}\n]", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> PromptFiles.shareGpt(f, null, 20, 3))
        .hasMessage(f + ":2: the entry has no \"conversations\" array");
    assertThat(List.of(first.origin())).allMatch(o -> o.startsWith("sharegpt.json:"));
  }
}
