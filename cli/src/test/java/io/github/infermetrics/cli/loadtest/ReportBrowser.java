package io.github.infermetrics.cli.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Opens a report page in the Debian package's headless Chromium through its chromedriver, with a fresh profile and
 * no background networking, and reads what a test needs: console errors, every request the page made, and each
 * chart's data. A test that calls it is skipped, with a message, when Chromium or chromedriver is not installed.
 */
final class ReportBrowser {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> BROWSERS = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
      "/usr/bin/google-chrome");
  private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

  private ReportBrowser() {}

  /** A chart as the browser drew it. */
  record Chart(String id, boolean empty, int points, int drawn) {}

  /** What the page did. */
  record Page(String title, String text, List<String> consoleErrors, List<String> requests, List<Chart> charts) {}

  /**
   * Opens the page, reads it, and saves a screenshot of all of it.
   *
   * @param html the page
   * @param screenshot where the PNG goes
   * @return what the page did
   */
  static Page open(Path html, Path screenshot) throws IOException {
    String browser = first(BROWSERS);
    String driver = first(DRIVERS);
    Assumptions.assumeTrue(browser != null && driver != null, "Chromium or chromedriver is not installed"
        + " (apt-get install chromium chromium-driver): report.html is not opened in a browser");
    Path profile = Files.createTempDirectory("loadtest-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(browser);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + profile,
        "--window-size=1280,900");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    logs.enable(LogType.PERFORMANCE, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    // the Debian package's chromedriver, named so that Selenium Manager is never asked to download one
    System.setProperty("webdriver.chrome.driver", driver);
    ChromeDriver d = new ChromeDriver(options);
    try {
      String url = html.toAbsolutePath().toUri().toString();
      // the browser's start page makes requests of its own (chrome://new-tab-page...): read them away first
      d.get("about:blank");
      d.manage().logs().get(LogType.PERFORMANCE);
      d.manage().logs().get(LogType.BROWSER);
      d.get(url);
      List<String> errors = new ArrayList<>();
      for (LogEntry e : d.manage().logs().get(LogType.BROWSER)) {
        if (e.getLevel().intValue() >= Level.WARNING.intValue()) {
          errors.add(e.getLevel() + " " + e.getMessage());
        }
      }
      List<String> requests = new ArrayList<>();
      for (LogEntry e : d.manage().logs().get(LogType.PERFORMANCE)) {
        JsonNode m = JSON.readTree(e.getMessage()).path("message");
        if (m.path("method").asText().equals("Network.requestWillBeSent")) {
          String to = m.path("params").path("request").path("url").asText();
          boolean fromPage = m.path("params").path("documentURL").asText().equals(url);
          // the page's own requests, and any request anywhere that leaves the browser
          if (!to.equals(url) && (fromPage || !to.startsWith("chrome://"))) {
            requests.add(to);
          }
        }
      }
      JavascriptExecutor js = d;
      Object resources = js.executeScript("return performance.getEntriesByType('resource').map(e => e.name)");
      for (Object r : (List<?>) resources) {
        requests.add("resource " + r);
      }
      List<Chart> charts = new ArrayList<>();
      Object found = js.executeScript("return Array.from(document.querySelectorAll('svg.chart')).map(s => ({"
          + "id: s.dataset.chart, empty: s.classList.contains('empty'), points: Number(s.dataset.points),"
          + " drawn: s.querySelectorAll('path.line, circle.point').length}))");
      for (Object o : (List<?>) found) {
        Map<?, ?> c = (Map<?, ?>) o;
        charts.add(new Chart(String.valueOf(c.get("id")), Boolean.TRUE.equals(c.get("empty")),
            ((Number) c.get("points")).intValue(), ((Number) c.get("drawn")).intValue()));
      }
      String text = String.valueOf(js.executeScript("return document.body.innerText"));
      long height = ((Number) js.executeScript("return document.documentElement.scrollHeight")).longValue();
      d.manage().window().setSize(new Dimension(1280, (int) Math.min(height + 40, 12_000)));
      Files.createDirectories(screenshot.toAbsolutePath().getParent());
      Files.write(screenshot, d.getScreenshotAs(OutputType.BYTES));
      return new Page(d.getTitle(), text, errors, requests, charts);
    } finally {
      d.quit();
      try (Stream<Path> walk = Files.walk(profile)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static String first(List<String> paths) {
    for (String p : paths) {
      if (Files.isExecutable(Path.of(p))) {
        return p;
      }
    }
    return null;
  }
}
