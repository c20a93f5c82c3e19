package io.github.infermetrics.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.github.infermetrics.cli.simulate.DcgmSimulator;
import io.github.infermetrics.cli.simulate.LoadDriver;
import io.github.infermetrics.cli.simulate.LoadPattern;
import io.github.infermetrics.cli.simulate.NeuronMonitorSimulator;
import io.github.infermetrics.cli.simulate.SglangSimulator;
import io.github.infermetrics.cli.simulate.TgiSimulator;
import io.github.infermetrics.cli.simulate.TritonSimulator;
import io.github.infermetrics.cli.simulate.VllmSimulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java examples, as a reader copies them: every {@code ```java} block of {@code ../README.md} is
 * extracted, must be one complete public class with its imports, is compiled with {@code javax.tools} against this
 * module's test class path (every module, Micrometer, the AWS SDK's CloudWatch clients) with {@code -Xlint:all
 * -Werror}, and is run against the simulators and small fixture servers on loopback. The examples take their URLs
 * from their arguments; the only rewrite is their 15 s window, which becomes 1 s here. Examples that need AWS
 * credentials are compiled only, and each says so below.
 */
class ReadmeExamplesTest {
  private static final Path README = Paths.get("..", "README.md");
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern PUBLIC_CLASS = Pattern.compile("^public (?:final )?class (\\w+)", Pattern.MULTILINE);
  private static final Duration RUN_LIMIT = Duration.ofSeconds(60);

  /** Examples that cannot run here, and why; every other example must be run by a test below. */
  private static final Map<String, String> COMPILED_ONLY = Map.of(
      "KpisToPutMetricData", "sends to CloudWatch with the default AWS credentials and region");

  @TempDir
  static Path dir;

  private static Map<String, String> sources;
  private static URLClassLoader examples;

  private static VllmSimulator vllm;
  private static DcgmSimulator dcgm;
  private static TritonSimulator triton;
  private static SglangSimulator sglang;
  private static TgiSimulator tgi;
  private static final List<AutoCloseable> running = new ArrayList<>();

  @BeforeAll
  static void compileTheExamplesAndStartTheServers() throws Exception {
    sources = extract(Files.readString(README, UTF_8));
    examples = compile(sources);

    LoadPattern load = LoadPattern.parse("steady:20");
    vllm = keep(VllmSimulator.start(VllmSimulator.Config.builder().modelName("Qwen/Qwen3-8B").engines(2).seed(3)
        .build()));
    keep(LoadDriver.start(vllm.completionsUri(), load, 3));
    // the README's pipeline example names its vLLM target's pod serving/qwen-0
    dcgm = keep(DcgmSimulator.start(DcgmSimulator.Config.builder().load(vllm.gpuLoad()).seed(3)
        .pod("serving", "qwen-0", "vllm").build()));
    triton = keep(TritonSimulator.start(TritonSimulator.Config.builder().pattern(load).seed(3).build()));
    sglang = keep(SglangSimulator.start(SglangSimulator.Config.builder().seed(3).build()));
    keep(LoadDriver.start(sglang.completionsUri(), load, 3));
    tgi = keep(TgiSimulator.start(TgiSimulator.Config.builder().seed(3).build()));
    keep(LoadDriver.start(tgi.completionsUri(), load, 3));
  }

  @AfterAll
  static void stop() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
    if (examples != null) {
      examples.close();
    }
  }

  private static <T extends AutoCloseable> T keep(T closeable) {
    running.add(closeable);
    return closeable;
  }

  /** Each {@code ```java} block by its public class's name, in README order. */
  static Map<String, String> extract(String readme) {
    Map<String, String> found = new LinkedHashMap<>();
    Matcher m = JAVA_BLOCK.matcher(readme);
    while (m.find()) {
      String block = m.group(1);
      Matcher c = PUBLIC_CLASS.matcher(block);
      assertThat(c.find()).as("a public class in the README's Java block:%n%s", block).isTrue();
      assertThat(found).as("two README examples named %s", c.group(1)).doesNotContainKey(c.group(1));
      found.put(c.group(1), block);
    }
    return found;
  }

  private static URLClassLoader compile(Map<String, String> blocks) throws IOException {
    Path src = Files.createDirectories(dir.resolve("src"));
    Path out = Files.createDirectories(dir.resolve("classes"));
    List<Path> files = new ArrayList<>();
    for (Map.Entry<String, String> e : blocks.entrySet()) {
      // the examples' windows are 15 s, as in production; here 1 s keeps the test short
      String code = e.getValue().replace("Duration.ofSeconds(15)", "Duration.ofSeconds(1)");
      files.add(Files.writeString(src.resolve(e.getKey() + ".java"), code, UTF_8));
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, Locale.ROOT, UTF_8)) {
      List<String> options = List.of("-d", out.toString(), "-classpath", System.getProperty("java.class.path"),
          "--release", "17", "-Xlint:all,-path,-processing", "-Werror", "-proc:none");
      boolean ok = javac.getTask(null, fm, diagnostics, options, null, fm.getJavaFileObjectsFromPaths(files)).call();
      List<String> problems = new ArrayList<>();
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        if (d.getKind() != Diagnostic.Kind.NOTE) {
          problems.add(d.toString());
        }
      }
      assertThat(problems).as("javac on the README's examples").isEmpty();
      assertThat(ok).isTrue();
    }
    return new URLClassLoader(new URL[] {out.toUri().toURL()}, ReadmeExamplesTest.class.getClassLoader());
  }

  /** Runs an example's main with these arguments and returns what it printed on standard output. */
  private static String run(String example, String... args) throws Exception {
    assertThat(sources).as("README example %s", example).containsKey(example);
    Method main = examples.loadClass(example).getMethod("main", String[].class);
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try (PrintStream out = new PrintStream(new Tee(captured, stdout), true, UTF_8)) {
      System.setOut(out);
      Future<?> done = thread.submit(() -> {
        try {
          main.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
          throw new AssertionError(example + " threw", e.getCause());
        } catch (IllegalAccessException e) {
          throw new AssertionError(e);
        }
        return null;
      });
      done.get(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS);
    } finally {
      System.setOut(stdout);
      thread.shutdownNow();
    }
    return captured.toString(UTF_8);
  }

  @Test
  void everyExampleIsACompleteClassThatCompiles() {
    assertThat(sources).hasSizeGreaterThanOrEqualTo(10);
    for (Map.Entry<String, String> e : sources.entrySet()) {
      assertThat(e.getValue()).as("%s starts with its imports", e.getKey()).startsWith("import ");
    }
    assertThat(sources).containsKeys(COMPILED_ONLY.keySet().toArray(String[]::new));
  }

  @Test
  void everyExampleThatCanRunHereHasATest() {
    List<String> tested = new ArrayList<>();
    for (Method m : ReadmeExamplesTest.class.getDeclaredMethods()) {
      if (m.isAnnotationPresent(Test.class) && m.getName().startsWith("example")) {
        tested.add(m.getName().substring("example".length()));
      }
    }
    List<String> untested = new ArrayList<>(sources.keySet());
    untested.removeAll(tested);
    untested.removeAll(COMPILED_ONLY.keySet());
    assertThat(untested).as("README examples with no test method example<ClassName>").isEmpty();
  }

  @Test
  void exampleQueueSource() throws Exception {
    AtomicInteger scrapes = new AtomicInteger();
    // a queue service: 12 waiting, 30 more jobs done at each scrape
    try (Fixture queue = Fixture.serve(() -> "# TYPE my_queue_waiting gauge\nmy_queue_waiting 12\n"
        + "# TYPE my_queue_done_total counter\nmy_queue_done_total " + (100 + 30 * scrapes.getAndIncrement())
        + "\n")) {
      String out = run("QueueSource", queue.url("/metrics"));
      assertThat(out).contains("waiting=OptionalDouble[12.0]").containsPattern("done/s=OptionalDouble\\[[0-9.]+\\]")
          .contains("QUEUE_DEPTH");
    }
  }

  @Test
  void exampleWatchFleet() throws Exception {
    String out = run("WatchFleet", vllm.metricsUri().toString(), dcgm.metricsUri().toString());
    assertThat(out)
        .contains("qwen vllm time_to_first_token_seconds_p95{model=\"Qwen/Qwen3-8B\"}")
        .contains("qwen vllm slo_goodput_ratio{model=\"Qwen/Qwen3-8B\",slo=\"ttft<=500ms\"}")
        .contains("gpu-node-7 dcgm accelerator_utilization_ratio")
        .contains("qwen accelerators generation_tokens_per_joule")
        .contains("qwen accelerators cost_per_million_tokens_dollars")
        .contains("qwen UP [vllm]").contains("gpu-node-7 UP [dcgm]");
  }

  @Test
  void exampleReadExposition() throws Exception {
    // a real vLLM scrape: python_info, process_* and the _created series carry no model_name
    HttpResponse<byte[]> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(vllm.metricsUri()).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    Path file = Files.write(dir.resolve("vllm.prom"), scrape.body());
    assertThat(new String(scrape.body(), UTF_8)).contains("python_info{");
    String out = run("ReadExposition", file.toString());
    assertThat(out).contains("finished_reason=\"stop\"").containsPattern("samples per model: \\{\\(none\\)=\\d+, "
        + "Qwen/Qwen3-8B=\\d+\\}");
  }

  @Test
  void exampleScrapeOnce() throws Exception {
    assertThat(run("ScrapeOnce", triton.metricsUri().toString())).containsPattern("\\d+ samples, \\d+ families in");
    try (Fixture down = Fixture.serve(() -> {
      throw new IllegalStateException("down");
    })) {
      assertThat(run("ScrapeOnce", down.url("/metrics"))).startsWith("down: ");
    }
  }

  @Test
  void exampleKpisInMicrometer() throws Exception {
    String out = run("KpisInMicrometer", vllm.metricsUri().toString());
    assertThat(out).contains("time_to_first_token_p95_seconds{").contains("kv_cache_usage_ratio{")
        .contains("cluster=\"prod\"").contains("model=\"Qwen/Qwen3-8B\"").containsPattern("\\d+ meters, 0 rejected");
  }

  @Test
  void exampleTritonModels() throws Exception {
    assertThat(run("TritonModels", triton.metricsUri().toString())).contains("resnet50").contains(" req/s, queue ");
  }

  @Test
  void exampleVllmModels() throws Exception {
    assertThat(run("VllmModels", vllm.metricsUri().toString())).contains("names vllm")
        .containsPattern("Qwen/Qwen3-8B: TTFT p95 [≤>]?OptionalDouble\\[[0-9.E-]+\\] s");
  }

  @Test
  void exampleAnySource() throws Exception {
    assertThat(run("AnySource", sglang.metricsUri().toString())).contains("installed: [dcgm, ")
        .containsPattern("sglang models: [1-9]").contains("request_rate_per_second=OptionalDouble[");
    assertThat(run("AnySource", tgi.metricsUri().toString())).contains("tgi ").contains("queue_depth=OptionalDouble[");
    assertThat(run("AnySource", dcgm.metricsUri().toString())).contains("dcgm gpus: ");
  }

  @Test
  void exampleNeuronToPrometheus() throws Exception {
    NeuronMonitorSimulator neuron = NeuronMonitorSimulator.create(NeuronMonitorSimulator.Config.builder().seed(3)
        .build());
    StringBuilder reports = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      reports.append(neuron.nextReport()).append('\n');
    }
    Path file = Files.writeString(dir.resolve("neuron-monitor.ndjson"), reports, UTF_8);
    String out = run("NeuronToPrometheus", file.toString(), "0");
    assertThat(out).contains("serving http://localhost:").containsPattern("NeuronCores [0-9.]+ % busy")
        .contains("3 lines, 0 bad");
  }

  @Test
  void exampleDiscoveredFleet() throws Exception {
    Path targets = Files.writeString(dir.resolve("targets.json"), "[{\"targets\": [\""
        + vllm.metricsUri().getAuthority() + "\"], \"labels\": {\"infermetrics_source\": \"vllm\"}},"
        + " {\"targets\": [\"" + triton.metricsUri().getAuthority() + "\"]}]", UTF_8);
    String out = run("DiscoveredFleet", targets.toString());
    assertThat(out).contains("2 targets, 0 errors").containsPattern(" vllm: [1-9]\\d* KPIs")
        .containsPattern(" triton: [1-9]\\d* KPIs");
  }

  @Test
  void exampleKpisAsEmf() throws Exception {
    String out = run("KpisAsEmf", vllm.metricsUri().toString(), "stdout");
    assertThat(out.lines().filter(l -> l.startsWith("{\"_aws\":") || l.contains("\"_aws\":")))
        .anySatisfy(l -> assertThat(l).contains("\"Namespace\":\"Inference\"").contains("time_to_first_token"))
        .anySatisfy(l -> assertThat(l).contains("\"note\":\"by hand\""));
  }

  @Test
  void exampleBusyNodes() throws Exception {
    assertThat(run("BusyNodes")).contains("filter").contains("stats max(node_cpu_utilization) as max_cpu");
  }

  @Test
  void exampleKpisToPrometheus() throws Exception {
    AtomicInteger posts = new AtomicInteger();
    HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/api/v1/write", exchange -> {
      try (exchange; InputStream body = exchange.getRequestBody()) {
        byte[] snappy = body.readAllBytes();
        if (snappy.length > 0 && "snappy".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
          posts.incrementAndGet();
        }
        exchange.sendResponseHeaders(204, -1);
      }
    });
    receiver.start();
    try {
      String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/api/v1/write";
      String out = run("KpisToPrometheus", vllm.metricsUri().toString(), url);
      // the counts are read after close(): every sample accepted was sent
      Matcher m = Pattern.compile("(\\d+) samples sent in (\\d+) requests?, 0 dropped \\(queue full\\), 0 failed")
          .matcher(out);
      assertThat(m.find()).as(out).isTrue();
      assertThat(Long.parseLong(m.group(1))).isPositive();
      assertThat(Integer.parseInt(m.group(2))).isEqualTo(posts.get()).isPositive();
    } finally {
      receiver.stop(0);
    }
  }

  /** A loopback server answering every path with a body made per request (or HTTP 500 when it throws). */
  private static final class Fixture implements AutoCloseable {
    private final HttpServer server;

    private Fixture(HttpServer server) {
      this.server = server;
    }

    static Fixture serve(java.util.function.Supplier<String> body) throws IOException {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", exchange -> {
        try (exchange) {
          byte[] bytes;
          try {
            bytes = body.get().getBytes(UTF_8);
          } catch (RuntimeException e) {
            exchange.sendResponseHeaders(500, -1);
            return;
          }
          exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
          exchange.sendResponseHeaders(200, bytes.length);
          exchange.getResponseBody().write(bytes);
        }
      });
      server.start();
      return new Fixture(server);
    }

    String url(String path) {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path).toString();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  /** Writes to two streams: the examples' output stays visible in the test log. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) {
      try {
        a.write(c);
        b.write(c);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void write(byte[] bytes, int off, int len) {
      try {
        a.write(bytes, off, len);
        b.write(bytes, off, len);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
