package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The live page of {@code watch --demo --serve} in the Debian package's headless Chromium, driven by its chromedriver:
 * it draws the table and the charts from the served data, keeps refreshing without a reload, logs no error, fetches
 * nothing but its own server's URLs (and Chromium resolves no other host), and fits a phone's width. Skips without
 * Chromium or chromedriver ({@code apt-get install chromium chromium-driver}; {@code .ci/run} installs them).
 *
 * <p>It leaves a screenshot in {@code target/watch-serve.png}; {@code -Dinfermetrics.screenshot=PATH} also writes it
 * to PATH after a minute of windows (the README's {@code docs/watch-serve.png}).
 */
class LivePageBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private static Path executable(String property, String path) {
    String p = System.getProperty(property, path);
    if (!Files.isExecutable(Path.of(p))) {
      Assumptions.abort(p + " is not installed (apt-get install chromium chromium-driver, or -D" + property
          + "=PATH); skipping the live page in a browser");
    }
    return Path.of(p);
  }

  @Test
  void thePageShowsTheTableAndChartsOfTheDemoAndFetchesOnlyFromItsServer() throws Exception {
    Path chromium = executable("infermetrics.chromium", "/usr/bin/chromium");
    Path chromedriver = executable("infermetrics.chromedriver", "/usr/bin/chromedriver");
    String screenshot = System.getProperty("infermetrics.screenshot");
    // selenium's own logging (a CDP version it has no module for) is not the page's
    java.util.logging.Logger.getLogger("org.openqa.selenium").setLevel(Level.SEVERE);
    try (ServedWatch watch = ServedWatch.start("watch", "--demo", "--interval", "1s", "--slo", "ttft=500ms,e2e=20s",
        "--emf", dir.resolve("demo.emf").toString(), "--serve", "127.0.0.1:0")) {
      int windows = screenshot == null ? 3 : 60;
      String history = watch.await("api/history", body -> windows(body, "vllm-demo") >= windows,
          Duration.ofSeconds(30 + windows));
      int targets = JSON.readTree(history).get("targets").size();
      ChromeDriverService service = new ChromeDriverService.Builder()
          .usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort()
          .withLogFile(dir.resolve("chromedriver.log").toFile()).build();
      ChromeOptions options = new ChromeOptions();
      options.setBinary(chromium.toFile());
      options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
          "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
          "--disable-default-apps", "--disable-extensions", "--user-data-dir=" + dir.resolve("profile"),
          // any host name but this one resolves to nothing: a fetch from elsewhere fails, and logs an error
          "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1", "--window-size=1280,1000");
      LoggingPreferences logs = new LoggingPreferences();
      logs.enable(LogType.BROWSER, Level.ALL);
      options.setCapability("goog:loggingPrefs", logs);
      ChromeDriver driver = new ChromeDriver(service, options);
      try {
        driver.get(watch.uri().toString());
        JavascriptExecutor js = driver;
        awaitTrue(js, "return document.querySelectorAll('#table tbody tr').length >= " + targets
            + " && document.querySelectorAll('.target').length === " + targets
            + " && document.querySelectorAll('.chart path.line').length >= 10", Duration.ofSeconds(20));

        // the table is watch's: its header and a row per model
        List<String> header = strings(js.executeScript(
            "return [...document.querySelectorAll('#table thead th')].map(th => th.textContent)"));
        assertThat(header).containsExactlyElementsOf(List.of(WatchView.rows(List.of()).get(0)));
        String table = (String) js.executeScript("return document.getElementById('table').innerText");
        assertThat(table).contains("vllm-demo").contains("Qwen/Qwen3-8B").contains("triton-demo")
            .contains("resnet50:1").contains("neuron-demo");

        // the charts of each target, drawn from several windows
        Map<String, Object> vllm = map(js.executeScript("const card = document.querySelector("
            + "'.target[data-target=\"vllm-demo\"]'); const out = {};"
            + " card.querySelectorAll('.chart').forEach(c => out[c.dataset.kpi] = {"
            + "  value: c.querySelector('.value').textContent,"
            + "  lines: [...c.querySelectorAll('path.line')].map(p => p.getAttribute('d'))});"
            + " return out;"));
        assertThat(vllm.keySet()).contains("time_to_first_token_seconds_p95", "request_rate_per_second",
            "generation_token_rate_per_second", "kv_cache_usage_ratio", "goodput", "saturation_ratio");
        for (Object chart : vllm.values()) {
          Map<String, Object> c = map(chart);
          assertThat((String) c.get("value")).isNotEqualTo("–").isNotEmpty();
          assertThat(strings(c.get("lines"))).isNotEmpty()
              .allSatisfy(d -> assertThat(d).startsWith("M").contains("L"));
        }
        // one line per objective
        assertThat(strings(map(vllm.get("goodput")).get("lines"))).hasSize(2);
        List<String> neuron = strings(js.executeScript("return [...document.querySelectorAll("
            + "'.target[data-target=\"neuron-demo\"] .chart')].map(c => c.dataset.kpi)"));
        assertThat(neuron).contains("accelerator_utilization_ratio", "request_rate_per_second");

        // it refreshes in place: the status changes, the page is never reloaded, api/history is fetched again
        String status = (String) js.executeScript("return document.getElementById('status').textContent");
        awaitTrue(js, "return document.getElementById('status').textContent !== " + jsString(status),
            Duration.ofSeconds(10));
        assertThat((Long) js.executeScript("return performance.getEntriesByType('navigation').length")).isEqualTo(1);
        assertThat((Long) js.executeScript("return performance.getEntriesByType('resource')"
            + ".filter(e => e.name.endsWith('/api/history')).length")).isGreaterThanOrEqualTo(2);

        // nothing but this server: every URL the page loaded or fetched is of its origin
        List<String> urls = strings(js.executeScript("return performance.getEntries()"
            + ".filter(e => e.entryType === 'navigation' || e.entryType === 'resource').map(e => e.name)"));
        String origin = watch.uri().toString().replaceAll("/$", "");
        assertThat(urls).isNotEmpty().allSatisfy(u -> assertThat(u).startsWith(origin + "/"));

        // the whole page in the picture: the window as tall as the page
        long height = (Long) js.executeScript("return document.documentElement.scrollHeight");
        driver.manage().window().setSize(new Dimension(1280, (int) Math.min(4000, height + 120)));
        Thread.sleep(300); // the resize's layout
        if (screenshot != null) {
          Path to = Path.of(screenshot).toAbsolutePath();
          Files.createDirectories(to.getParent());
          Files.write(to, driver.getScreenshotAs(OutputType.BYTES));
        }
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "watch-serve.png"), driver.getScreenshotAs(OutputType.BYTES));

        // a phone: the page is no wider than the screen (the table scrolls inside its frame), charts two abreast
        driver.manage().window().setSize(new Dimension(390, 844));
        awaitTrue(js, "return window.innerWidth <= 420", Duration.ofSeconds(5));
        assertThat((Boolean) js.executeScript(
            "return document.documentElement.scrollWidth <= window.innerWidth")).isTrue();
        assertThat((Boolean) js.executeScript("const c = document.querySelector('.chart svg');"
            + " return c.getBoundingClientRect().width > 100 && c.getBoundingClientRect().right <= window.innerWidth"))
            .isTrue();
        Files.write(Path.of("target", "watch-serve-phone.png"), driver.getScreenshotAs(OutputType.BYTES));

        // and no error in the console, from the page's script or a failed load
        List<LogEntry> console = driver.manage().logs().get(LogType.BROWSER).getAll();
        assertThat(console).filteredOn(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
            .as(console.toString()).isEmpty();
        // the console is really read: a warning written now comes back
        js.executeScript("console.warn('infermetrics-probe')");
        assertThat(driver.manage().logs().get(LogType.BROWSER).getAll())
            .anySatisfy(e -> assertThat(e.getMessage()).contains("infermetrics-probe"));
      } finally {
        driver.quit();
        service.close();
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Object scriptResult) {
    return (List<String>) scriptResult;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object scriptResult) {
    return (Map<String, Object>) scriptResult;
  }

  private static String jsString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static void awaitTrue(JavascriptExecutor js, String script, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (Boolean.TRUE.equals(js.executeScript(script))) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not true after " + timeout + ": " + script + "\npage: "
        + js.executeScript("return document.body.innerText"));
  }

  /** How many windows the history holds for a target. */
  static int windows(String history, String target) {
    try {
      for (JsonNode t : JSON.readTree(history).get("targets")) {
        if (t.get("target").asText().equals(target)) {
          return t.get("points").get("at").size();
        }
      }
      return 0;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
