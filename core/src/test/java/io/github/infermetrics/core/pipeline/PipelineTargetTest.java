package io.github.infermetrics.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.discovery.DiscoveredTarget;
import io.github.infermetrics.core.scrape.ScrapeTarget;
import io.github.infermetrics.core.snapshot.Labels;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A pipeline target from what discovery found. */
class PipelineTargetTest {
  private static final URI URL = URI.create("http://10.0.3.7:8000/metrics");

  @Test
  void aDiscoveredTargetKeepsItsNameLabelsPodAndListedSources() {
    DiscoveredTarget found = new DiscoveredTarget(URL, "vllm-0", Labels.of("job", "vllm", "namespace", "serving"),
        Optional.of(" vLLM, ,dcgm "), Optional.of("serving/vllm-0"));
    PipelineTarget t = PipelineTarget.builder(found).timeout(Duration.ofSeconds(2)).build();
    assertThat(t.uri()).isEqualTo(URL);
    assertThat(t.name()).isEqualTo("vllm-0");
    assertThat(t.labels()).isEqualTo(Labels.of("job", "vllm", "namespace", "serving"));
    assertThat(t.sources()).containsExactly("vllm", "dcgm");
    assertThat(t.pod()).contains("serving/vllm-0");
    assertThat(t.scrape().timeout()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void withoutSourcesTheyAreDetected() {
    DiscoveredTarget found = new DiscoveredTarget(URL, "10.0.3.7:8000", Labels.EMPTY, Optional.empty(),
        Optional.empty());
    PipelineTarget t = PipelineTarget.builder(found).build();
    assertThat(t.sources()).isEmpty();
    assertThat(t.pod()).isEmpty();
    assertThat(List.of(t.name())).containsExactly("10.0.3.7:8000");
  }

  @Test
  void scrapeSettingsApplyToTargetsBuiltFromAUrlOrADiscoveredOne() {
    DiscoveredTarget found = new DiscoveredTarget(URL, "vllm-0", Labels.EMPTY, Optional.empty(), Optional.empty());
    PipelineTarget t = PipelineTarget.builder(found).timeout(Duration.ofSeconds(2))
        .scrape(s -> s.sampleLimit(5).bodySizeLimit(1000).maxRedirects(0)).build();
    assertThat(t.scrape().sampleLimit()).isEqualTo(5);
    assertThat(t.scrape().bodySizeLimit()).isEqualTo(1000);
    assertThat(t.scrape().maxRedirects()).isZero();
    assertThat(t.scrape().timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(PipelineTarget.builder(URL).scrape(s -> s.sampleLimit(7)).build().scrape().sampleLimit()).isEqualTo(7);
  }

  @Test
  void scrapeSettingsBelongToAGivenScrapeTarget() {
    ScrapeTarget given = ScrapeTarget.builder(URL).build();
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> PipelineTarget.builder(given).scrape(s -> s.sampleLimit(1)).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("scrape settings");
  }
}
