package io.github.infermetrics.cli.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The browser check itself: a page that fetches and logs an error is caught, so a clean report means something. */
class ReportBrowserTest {
  @TempDir
  Path dir;

  @Test
  void aPageThatFetchesOrLogsAnErrorIsCaught() throws Exception {
    Path page = dir.resolve("bad.html");
    Files.writeString(page, "<!DOCTYPE html><html><head><title>bad</title><link rel=\"icon\" href=\"data:,\">"
        + "</head><body><img src=\"http://127.0.0.1:9/tracker.png\">"
        + "<svg class=\"chart empty\" data-chart=\"nothing\" data-points=\"0\"></svg>"
        + "<script>console.error('boom')</script></body></html>");
    ReportBrowser.Page p = ReportBrowser.open(page, dir.resolve("bad.png"));
    assertThat(p.requests()).anyMatch(r -> r.contains("127.0.0.1:9/tracker.png"));
    assertThat(p.consoleErrors()).anyMatch(e -> e.contains("boom"));
    assertThat(p.charts()).singleElement().satisfies(c -> {
      assertThat(c.empty()).isTrue();
      assertThat(c.points()).isZero();
    });
  }
}
