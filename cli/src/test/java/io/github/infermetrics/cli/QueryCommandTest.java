package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QueryCommandTest {
  HttpServer server;
  final List<String> targets = new ArrayList<>();
  final List<String> bodies = new ArrayList<>();
  String getResults = "{\"status\":\"Complete\",\"results\":[[{\"field\":\"NodeName\",\"value\":\"ip-10-0-0-1\"},"
      + "{\"field\":\"max_cpu\",\"value\":\"97.5\"}]],\"statistics\":{\"recordsMatched\":1.0,\"recordsScanned\":40.0,"
      + "\"bytesScanned\":2048.0}}";

  @BeforeEach
  void start() throws IOException {
    // a CloudWatch Logs endpoint speaking AWS JSON 1.1 on loopback; static fake credentials for the SDK
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
    server.createContext("/", http -> {
      String target = http.getRequestHeaders().getFirst("X-Amz-Target");
      String body = new String(http.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      synchronized (targets) {
        targets.add(target);
        bodies.add(body);
      }
      String reply = target.endsWith("StartQuery") ? "{\"queryId\":\"q-7\"}"
          : target.endsWith("GetQueryResults") ? getResults : "{\"success\":true}";
      byte[] out = reply.getBytes(StandardCharsets.UTF_8);
      http.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
      http.sendResponseHeaders(200, out.length);
      http.getResponseBody().write(out);
      http.close();
    });
    server.start();
    System.setProperty("aws.accessKeyId", "AKIDFAKE");
    System.setProperty("aws.secretAccessKey", "fake-secret");
  }

  @AfterEach
  void stop() {
    server.stop(0);
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void listPrintsOneEntryPerLineNameFirst() {
    CliRun r = CliRun.of("query", "--list");
    assertThat(r.code()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(9);
    assertThat(lines).anyMatch(l -> l.startsWith("nodes-over-cpu ") && l.contains("node_cpu_utilization"));
    assertThat(lines).allMatch(l -> l.matches("[a-z-]+ +\\S.*"));
  }

  @Test
  void cataloguePrintsTheQueryWithItsLogGroups() {
    CliRun r = CliRun.of("query", "--catalogue", "nodes-over-cpu", "--cluster", "inference", "--threshold", "90");
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("""
        # log groups: /aws/containerinsights/inference/performance
        filter Type = "Node" and node_cpu_utilization > 90
        | stats max(node_cpu_utilization) as max_cpu, avg(node_cpu_utilization) as avg_cpu, \
        max(node_memory_utilization) as max_memory, count(*) as samples_over by NodeName, InstanceType
        | sort max_cpu desc
        | limit 200
        """);
  }

  @Test
  void podAndNamespaceFilterTheQuery() {
    CliRun r = CliRun.of("query", "--catalogue", "pod-neuron", "--cluster", "c", "--namespace", "serving", "--pod",
        "^vllm-");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("| filter pod_neuroncore_usage_total > 0 and Namespace = \"serving\" and PodName =~"
        + " /^vllm-/");
  }

  @Test
  void runPrintsRowsAndStatistics() {
    CliRun r = CliRun.of("query", "--catalogue", "nodes-over-cpu", "--cluster", "inference", "--run", "--since", "2h",
        "--region", "us-west-2", "--endpoint-url", endpoint());
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("""
        NodeName\tmax_cpu
        ip-10-0-0-1\t97.5
        # complete: 1 rows; 1 records matched, 40 scanned, 2048 bytes scanned
        """);
    assertThat(targets.get(0)).isEqualTo("Logs_20140328.StartQuery");
    assertThat(bodies.get(0)).contains("\"logGroupNames\":[\"/aws/containerinsights/inference/performance\"]");
    // --since 2h: the range is 7200 s long
    assertThat(bodies.get(0)).containsPattern("\"startTime\":(\\d+)");
    var m = java.util.regex.Pattern.compile("\"startTime\":(\\d+).*\"endTime\":(\\d+)").matcher(bodies.get(0));
    assertThat(m.find()).isTrue();
    assertThat(Long.parseLong(m.group(2)) - Long.parseLong(m.group(1))).isEqualTo(7200);
  }

  @Test
  void aQueryThatFailsExitsOne() {
    getResults = "{\"status\":\"Failed\",\"results\":[]}";
    CliRun r = CliRun.of("query", "--catalogue", "pod-resources", "--cluster", "c", "--run", "--region",
        "us-east-1", "--endpoint-url", endpoint());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("query q-7: failed\n");
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(CliRun.of("query").code()).isEqualTo(2);
    assertThat(CliRun.of("query", "--list", "--catalogue", "x").code()).isEqualTo(2);
    CliRun noCluster = CliRun.of("query", "--catalogue", "pod-neuron");
    assertThat(noCluster.code()).isEqualTo(2);
    assertThat(noCluster.err()).startsWith("--catalogue needs --cluster NAME");
    CliRun unknown = CliRun.of("query", "--catalogue", "nope", "--cluster", "c");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).startsWith("catalogue: no query 'nope'");
    assertThat(CliRun.of("query", "--catalogue", "pod-neuron", "--cluster", "c", "--threshold", "120").err())
        .startsWith("--threshold:");
    // a regex that does not compile is refused, never sent as /([/
    CliRun regex = CliRun.of("query", "--catalogue", "pod-neuron", "--cluster", "c", "--pod", "([");
    assertThat(regex.code()).isEqualTo(2);
    assertThat(regex.out()).isEmpty();
    assertThat(regex.err()).isEqualTo("--pod: not a valid regular expression: '([': unclosed character class at"
        + " character 2\ntry 'infermetrics query --help'\n");
  }

  @Test
  void helpHasExamples() {
    CliRun r = CliRun.of("query", "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("Examples:", "infermetrics query --list");
  }
}
