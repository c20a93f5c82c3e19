package io.github.infermetrics.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.pipeline.KpiPipeline;
import io.github.infermetrics.kubernetes.KubernetesPodDiscovery;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/** Bad properties stop the application at start, each with one line that names its property and says why. */
class PropertiesValidationTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(InfermetricsAutoConfiguration.class));

  static Stream<Arguments> badProperties() {
    return Stream.of(
        Arguments.of(List.of("infermetrics.targets[0].url=http://127.0.0.1:8000/metrics",
                "infermetrics.targets[1].url=ftp://127.0.0.2/metrics"),
            "infermetrics.targets[1].url: not an http(s) URL: 'ftp://127.0.0.2/metrics' (for example"
                + " http://10.0.0.7:8000/metrics)"),
        Arguments.of(List.of("infermetrics.targets[0].name=qwen"),
            "infermetrics.targets[0].url: required, for example http://10.0.0.7:8000/metrics"),
        Arguments.of(List.of("infermetrics.targets[0].url=http://127.0.0.1:8000/metrics",
                "infermetrics.targets[0].source=vlm"),
            "infermetrics.targets[0].source: unknown source 'vlm'; installed: dcgm, neuron, ray, sglang, tgi, triton, vllm"),
        Arguments.of(List.of("infermetrics.targets[0].url=http://127.0.0.1:8000/metrics",
                "infermetrics.targets[0].pod=qwen-0"),
            "infermetrics.targets[0].pod: must be namespace/name: 'qwen-0'"),
        Arguments.of(List.of("infermetrics.targets[0].url=http://127.0.0.1:8000/metrics",
                "infermetrics.targets[0].timeout=0s"),
            "infermetrics.targets[0].timeout: must be positive: PT0S"),
        Arguments.of(List.of("infermetrics.targets[0].url=http://127.0.0.1:8000/metrics",
                "infermetrics.targets[1].url=http://127.0.0.2:8000/metrics",
                "infermetrics.targets[1].name=127.0.0.1:8000"),
            "infermetrics.targets[1].name: targets[0] is named 127.0.0.1:8000 too; give one of them another name"),
        Arguments.of(List.of("infermetrics.limits.maxLines=3"),
            "infermetrics.limits.maxLines: no such limit (maxLineLength, maxLabelsPerSeries, maxNameLength,"
                + " maxLabelValueLength, maxSeries, maxExemplarLabelCodePoints, maxInputBytes, maxFamilies, maxHelpBytes,"
                + " bodySizeLimit, sampleLimit, maxRedirects)"),
        Arguments.of(List.of("infermetrics.limits.maxLineLength=1MiB"),
            "infermetrics.limits.maxLineLength: not a whole number: '1MiB'"),
        Arguments.of(List.of("infermetrics.limits.sampleLimit=0"),
            "infermetrics.limits.sampleLimit: sampleLimit must be at least 1: 0"),
        Arguments.of(List.of("infermetrics.limits.maxNameLength=9999999999"),
            "infermetrics.limits.maxNameLength: maxNameLength must be at most 2147483647: 9999999999"),
        Arguments.of(List.of("infermetrics.interval=10ms"), "infermetrics.interval: must be at least 100ms: PT0.01S"),
        Arguments.of(List.of("infermetrics.threads=0"), "infermetrics.threads: must be at least 1: 0"),
        Arguments.of(List.of("infermetrics.shard=2/2"), "infermetrics.shard: shard index must be from 0 to 1: 2"),
        Arguments.of(List.of("infermetrics.shard=two"), "infermetrics.shard: shard must be I/N, for example 0/2: two"),
        Arguments.of(List.of("infermetrics.shard-by=node"), "infermetrics.shard-by: needs infermetrics.shard (I/N)"),
        Arguments.of(List.of("infermetrics.shard=0/2", "infermetrics.shard-by=gpu-node"),
            "infermetrics.shard-by: shard label must be a label name ([a-zA-Z_][a-zA-Z0-9_]*): 'gpu-node'"),
        Arguments.of(List.of("infermetrics.slos=ttft=fast"),
            "infermetrics.slos: SLO 'ttft=fast': not a duration: 'fast' (for example 500ms, 1.5s, 2m, or"
                + " milliseconds)"),
        Arguments.of(List.of("infermetrics.file-sd.files[0]=/etc/infermetrics/targets.txt"),
            "infermetrics.file-sd.files[0]: file_sd file \"/etc/infermetrics/targets.txt\" must end in .json, .yml"
                + " or .yaml and may hold a * only in its last path element"),
        Arguments.of(List.of("infermetrics.http-sd[0].url=ftp://127.0.0.1/targets"),
            "infermetrics.http-sd[0].url: must be an absolute http or https URL: ftp://127.0.0.1/targets"),
        Arguments.of(List.of("infermetrics.kubernetes.pods[0]=namespace=serving,port=99999"),
            "infermetrics.kubernetes.pods[0]: port 99999 is not between 1 and 65535"),
        Arguments.of(List.of("infermetrics.emf.sink=ftp://127.0.0.1:25888"),
            "infermetrics.emf.sink: endpoint ftp://127.0.0.1:25888: the scheme must be tcp or udp; expected stdout,"
                + " tcp://HOST:PORT, udp://HOST:PORT or a file path"),
        Arguments.of(List.of("infermetrics.emf.namespace=AWS/Inference"),
            "infermetrics.emf.namespace: the AWS/ prefix is reserved for AWS services"),
        Arguments.of(List.of("infermetrics.remote-write.url=127.0.0.1:9 /api/v1/write"),
            "infermetrics.remote-write.url: not a URL: '127.0.0.1:9 /api/v1/write': illegal character in authority"),
        Arguments.of(List.of("infermetrics.remote-write.url=http://127.0.0.1:9/api/v1/write",
                "infermetrics.remote-write.external-labels.__cluster=prod"),
            "infermetrics.remote-write.external-labels: invalid label name: __cluster"),
        Arguments.of(List.of("infermetrics.remote-write.external-labels.cluster=prod"),
            "infermetrics.remote-write.url: required when remote-write.headers or remote-write.external-labels are"
                + " set"));
  }

  @ParameterizedTest
  @MethodSource("badProperties")
  void aBadPropertyStopsTheStartWithOneLineNamingIt(List<String> properties, String expected) {
    runner.withPropertyValues(properties.toArray(String[]::new)).run(context -> {
      assertThat(context).hasFailed();
      assertThat(problems(context.getStartupFailure())).containsExactly(expected);
    });
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    runner.withPropertyValues("infermetrics.interval=0s", "infermetrics.targets[0].url=ftp://127.0.0.1/metrics",
        "infermetrics.targets[1].url=http://127.0.0.1:9/metrics", "infermetrics.targets[1].source=nope",
        "infermetrics.emf.sink=").run(context -> assertThat(problems(context.getStartupFailure())).hasSize(4)
            .allSatisfy(line -> assertThat(line).startsWith("infermetrics.")));
  }

  @Test
  void credentialsInHeadersAndUrlsAreNeverPrinted() {
    runner.withPropertyValues("infermetrics.remote-write.url=http://127.0.0.1:9/api/v1/write",
        "infermetrics.remote-write.headers.Content-Encoding=s3cret-one",
        "infermetrics.http-sd[0].url=http://127.0.0.1:9/targets",
        "infermetrics.http-sd[0].headers.User-Agent=s3cret-two",
        "infermetrics.targets[0].url=http://scraper:s3cret-three@127.0.0.1:8000/metrics").run(context -> {
          List<String> problems = problems(context.getStartupFailure());
          assertThat(problems).containsExactlyInAnyOrder(
              "infermetrics.targets[0].url: user info in the URL of 127.0.0.1: credentials do not belong in a URL",
              "infermetrics.http-sd[0].headers: header User-Agent is set by the discovery itself",
              "infermetrics.remote-write.headers: Content-Encoding is set by the sink");
          assertThat(String.join("\n", problems) + stackTraceText(context.getStartupFailure()))
              .doesNotContain("s3cret");
        });
  }

  @Test
  void kubernetesDiscoveryWithoutItsModuleSaysWhichDependencyToAdd() {
    runner.withClassLoader(new FilteredClassLoader(KubernetesPodDiscovery.class))
        .withPropertyValues("infermetrics.kubernetes.pods[0]=namespace=serving,selector=app=vllm,port=metrics")
        .run(context -> assertThat(problems(context.getStartupFailure())).containsExactly(
            "infermetrics.kubernetes.pods: needs the dependency io.github.infermetrics:infermetrics-kubernetes on the"
                + " class path"));
  }

  @Test
  void twoShardsSplitTheTargetsEachOnce() {
    List<String> all = new java.util.ArrayList<>();
    List<String> properties = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      properties.add("infermetrics.targets[" + i + "].url=127.0.0." + (i + 1) + ":9/metrics");
      all.add("127.0.0." + (i + 1) + ":9");
    }
    List<String> seen = new java.util.ArrayList<>();
    for (String shard : List.of("0/2", "1/2")) {
      List<String> p = new java.util.ArrayList<>(properties);
      p.add("infermetrics.shard=" + shard);
      runner.withPropertyValues(p.toArray(String[]::new)).run(context -> {
        assertThat(context).hasNotFailed();
        List<String> mine = context.getBean(KpiPipeline.class).status().stream().map(st -> st.name()).toList();
        assertThat(mine).as("shard %s", shard).isNotEmpty().hasSizeLessThan(8);
        seen.addAll(mine);
      });
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(all);
  }

  /** The limits reach every target's scrape: listed ones here, discovered ones in {@code DiscoveryTest}. */
  @Test
  void limitsAreSetOnTheTargetsScrapes() {
    runner.withPropertyValues("infermetrics.targets[0].url=127.0.0.1:9/metrics",
        "infermetrics.targets[1].url=127.0.0.2:9/metrics", "infermetrics.limits.maxLineLength=4_194_304",
        "infermetrics.limits.sample-limit=5000000", "infermetrics.limits.BODYSIZELIMIT=1024")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(KpiPipeline.class).status()).hasSize(2).allSatisfy(st -> {
            assertThat(st.target().scrape().parserLimits().maxLineLength()).isEqualTo(4 << 20);
            assertThat(st.target().scrape().sampleLimit()).isEqualTo(5_000_000);
            assertThat(st.target().scrape().bodySizeLimit()).isEqualTo(1024);
          });
        });
  }

  @Test
  void goodPropertiesStart() {
    // loopback ports nothing listens on (9, discard): the started pipeline scrapes them and finds them down
    runner.withPropertyValues("infermetrics.interval=15s", "infermetrics.slos=ttft=500ms,e2e=20s",
        "infermetrics.targets[0].url=127.0.0.1:9/metrics", "infermetrics.targets[0].source=vllm",
        "infermetrics.targets[0].pod=serving/qwen-0", "infermetrics.targets[1].url=https://localhost:9/metrics",
        "infermetrics.targets[1].name=triton-0", "infermetrics.targets[1].timeout=3s",
        "infermetrics.emf.namespace=Inference/Serving", "infermetrics.emf.dimensions.cluster=prod")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(KpiPipeline.class).status()).extracting(s -> s.name())
              .containsExactly("127.0.0.1:9", "triton-0");
        });
  }

  /** What a person sees: Spring Boot's failure report, with the property, its value and the reason. */
  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void theStartupReportNamesThePropertyAndTheReason(CapturedOutput output) {
    SpringApplicationBuilder app = new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE)
        .properties("infermetrics.targets[0].url=http://127.0.0.1:8000/metrics",
            "infermetrics.targets[1].url=ftp://127.0.0.2/metrics", "spring.main.banner-mode=off");
    try {
      app.run().close();
      throw new AssertionError("started");
    } catch (RuntimeException expected) {
      assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START",
          "Property: infermetrics.targets[1].url", "Value: \"ftp://127.0.0.2/metrics\"",
          "Reason: not an http(s) URL: 'ftp://127.0.0.2/metrics' (for example http://10.0.0.7:8000/metrics)",
          "Update your application's configuration");
    }
  }

  /** The validation errors of a failed start, as one line each: {@code property: reason}. */
  private static List<String> problems(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof BindValidationException e) {
        List<String> lines = new ArrayList<>();
        for (ObjectError error : e.getValidationErrors().getAllErrors()) {
          lines.add(error instanceof FieldError f ? f.getObjectName() + "." + f.getField() + ": "
              + f.getDefaultMessage() : error.getDefaultMessage());
        }
        return lines;
      }
    }
    throw new AssertionError("no validation failure in " + failure, failure);
  }

  private static String stackTraceText(Throwable failure) {
    java.io.StringWriter w = new java.io.StringWriter();
    failure.printStackTrace(new java.io.PrintWriter(w));
    return w.toString();
  }
}
