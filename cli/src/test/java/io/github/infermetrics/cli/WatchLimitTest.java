package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code watch --limit}: every target's scrape limits, listed targets and discovered ones alike. */
class WatchLimitTest {
  private static final String EXPOSITION = "# TYPE nv_inference_request_success counter\n"
      + "nv_inference_request_success{model=\"resnet50\",version=\"1\"} 42\n"
      + "nv_inference_request_success{model=\"bert\",version=\"1\"} 7\n";

  private ExpositionServer server;
  private String url;

  @BeforeEach
  void start() throws IOException {
    server = new ExpositionServer(EXPOSITION);
    url = server.url("/metrics");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aLimitAppliesToEveryTarget() {
    CliRun ok = CliRun.of("watch", "--once", "--json", "--interval", "300ms", "--limit", "sampleLimit=2", url);
    assertThat(ok.code()).as(ok.err()).isZero();

    CliRun low = CliRun.of("watch", "--once", "--json", "--interval", "300ms", "--limit", "sampleLimit=1", url);
    assertThat(low.code()).isEqualTo(1);
    assertThat(low.out()).contains("\"state\":\"down\"").contains("(ScrapeTarget.sampleLimit)");

    CliRun line = CliRun.of("watch", "--once", "--json", "--interval", "300ms", "--limit", "maxLineLength=20", url);
    assertThat(line.code()).isEqualTo(1);
    assertThat(line.out()).contains("maxLineLength");
  }

  @Test
  void aBadLimitIsAUsageError() {
    CliRun unknown = CliRun.of("watch", "--once", "--limit", "samples=1", url);
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("--limit samples: no such limit").contains("sampleLimit");
    CliRun zero = CliRun.of("watch", "--once", "--limit", "sampleLimit=0", url);
    assertThat(zero.code()).isEqualTo(2);
    assertThat(zero.err()).contains("--limit sampleLimit:");
  }
}
