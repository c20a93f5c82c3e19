package io.github.infermetrics.cloudwatch.insights;

import static io.github.infermetrics.cloudwatch.insights.FakeLogsEndpoint.error;
import static io.github.infermetrics.cloudwatch.insights.FakeLogsEndpoint.ok;
import static io.github.infermetrics.cloudwatch.insights.FakeLogsEndpoint.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsAsyncClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/** The runner through the real SDK (sync and async clients) against a local AWS JSON 1.1 endpoint. */
class InsightsRunnerTest {
  static final String COMPLETE = """
      {"status":"Complete","queryLanguage":"CWLI",
       "results":[[{"field":"PodName","value":"vllm-0"},{"field":"max_cpu","value":"91.5"},{"field":"@ptr","value":"p0"}],
                  [{"field":"PodName","value":"vllm-1"},{"field":"max_cpu","value":"40"}]],
       "statistics":{"recordsMatched":2.0,"recordsScanned":120.0,"bytesScanned":4096.0,
                     "estimatedRecordsSkipped":0.0,"estimatedBytesSkipped":0.0,"logGroupsScanned":1.0}}""";

  final FakeLogsEndpoint logs = new FakeLogsEndpoint();
  final CloudWatchLogsClient client = logs.client();
  InsightsRunner runner = fast(InsightsRunner.builder(client));

  static InsightsRunner fast(InsightsRunner.Builder b) {
    return b.pollInterval(Duration.ofMillis(5), Duration.ofMillis(20)).retries(4, Duration.ofMillis(2),
        Duration.ofMillis(10)).timeout(Duration.ofSeconds(10)).build();
  }

  @AfterEach
  void close() {
    runner.close();
    client.close();
    logs.close();
  }

  static QueryRequest request() {
    Query q = ContainerInsightsQueries.entry("pod-resources-summary").query(CatalogueParameters.of("inference"))
        .query();
    return QueryRequest.builder(q).logGroupNames(List.of("/aws/containerinsights/inference/performance"))
        .timeRange(Instant.ofEpochSecond(1_700_000_000), Instant.ofEpochSecond(1_700_003_600)).limit(100).build();
  }

  @Test
  void pollsUntilCompleteAndReturnsTypedRows() {
    logs.script("GetQueryResults", status("Scheduled"), status("Running"), status("Running"), ok(COMPLETE));
    QueryResult r = runner.run(request());

    assertThat(r.status()).isEqualTo(QueryStatus.COMPLETE);
    assertThat(r.isComplete()).isTrue();
    assertThat(r.queryId()).isEqualTo("q-1");
    assertThat(r.rows()).hasSize(2);
    assertThat(r.rows().get(0).fields()).containsExactly(java.util.Map.entry("PodName", "vllm-0"),
        java.util.Map.entry("max_cpu", "91.5"), java.util.Map.entry("@ptr", "p0"));
    assertThat(r.rows().get(0).ptr()).contains("p0");
    assertThat(r.rows().get(1).ptr()).isEmpty();
    assertThat(r.statistics()).isEqualTo(new QueryStatistics(2, 120, 4096, 0, 0, 1));
    // 1 StartQuery, then 4 polls: Scheduled, Running, Running, Complete
    assertThat(logs.count("StartQuery")).isEqualTo(1);
    assertThat(logs.count("GetQueryResults")).isEqualTo(4);
    assertThat(logs.count("StopQuery")).isZero();
    var start = logs.calls().get(0).body();
    assertThat(start.get("queryLanguage").asText()).isEqualTo("CWLI");
    assertThat(start.get("logGroupNames").get(0).asText()).isEqualTo("/aws/containerinsights/inference/performance");
    assertThat(start.get("startTime").asLong()).isEqualTo(1_700_000_000L);
    assertThat(start.get("endTime").asLong()).isEqualTo(1_700_003_600L);
    assertThat(start.get("limit").asInt()).isEqualTo(100);
    assertThat(start.get("queryString").asText()).isEqualTo(request().queryString());
    assertThat(logs.calls().get(1).body().get("queryId").asText()).isEqualTo("q-1");
  }

  @Test
  void serviceSideEndingsAreResultsWithTheirStatus() {
    for (String s : List.of("Failed", "Cancelled", "Timeout")) {
      logs.script("GetQueryResults", status("Running"), status(s));
      QueryResult r = runner.run(request());
      assertThat(r.status().name()).isEqualToIgnoringCase(s);
      assertThat(r.isComplete()).isFalse();
      assertThat(r.statistics()).isEqualTo(QueryStatistics.NONE);
    }
  }

  @Test
  void retriesThrottlingAndTooManyConcurrentQueries() {
    logs.script("StartQuery", error(400, "LimitExceededException"), error(400, "ThrottlingException"),
        error(503, "ServiceUnavailableException"));
    logs.script("GetQueryResults", error(400, "ThrottlingException"), ok(COMPLETE));
    QueryResult r = runner.run(request());
    assertThat(r.isComplete()).isTrue();
    // 3 failed StartQuery + 1 good; 1 throttled poll + 1 good
    assertThat(logs.count("StartQuery")).isEqualTo(4);
    assertThat(logs.count("GetQueryResults")).isEqualTo(2);
  }

  @Test
  void givesUpAfterTheLastAttempt() {
    logs.otherwise("StartQuery", error(400, "LimitExceededException"));
    assertThatThrownBy(() -> runner.run(request())).isInstanceOf(InsightsQueryException.class)
        .hasMessageStartingWith("StartQuery: gave up after 4 attempts");
    assertThat(logs.count("StartQuery")).isEqualTo(4);
  }

  @Test
  void malformedQueryIsNotRetriedAndSaysWhere() {
    logs.script("StartQuery", new FakeLogsEndpoint.Reply(400, """
        {"__type":"MalformedQueryException","message":"bad",
         "queryCompileError":{"location":{"startCharOffset":7,"endCharOffset":12},"message":"unexpected symbol"}}""",
        Duration.ZERO));
    assertThatThrownBy(() -> runner.run(request())).isInstanceOf(InsightsQueryException.class)
        .hasMessage("StartQuery: malformed query at characters 7..12: unexpected symbol")
        .satisfies(e -> assertThat(((InsightsQueryException) e).queryId()).isEmpty());
    assertThat(logs.count("StartQuery")).isEqualTo(1);
  }

  @Test
  void otherClientErrorsFailAtOnce() {
    logs.script("StartQuery", error(400, "ResourceNotFoundException"));
    assertThatThrownBy(() -> runner.run(request())).isInstanceOf(InsightsQueryException.class)
        .hasMessageStartingWith("StartQuery: fake ResourceNotFoundException");
    assertThat(logs.count("StartQuery")).isEqualTo(1);
  }

  @Test
  void clientTimeoutStopsTheQuery() throws Exception {
    runner.close();
    runner = InsightsRunner.builder(client).pollInterval(Duration.ofMillis(5), Duration.ofMillis(10))
        .timeout(Duration.ofMillis(150)).build();
    logs.otherwise("GetQueryResults", status("Running"));
    assertThatThrownBy(() -> runner.run(request())).isInstanceOf(InsightsQueryException.class)
        .hasMessageContaining("still running after PT0.15S; stopped it")
        .satisfies(e -> assertThat(((InsightsQueryException) e).queryId()).contains("q-1"));
    awaitStop();
    assertThat(logs.calls().stream().filter(c -> c.operation().equals("StopQuery")).findFirst().orElseThrow()
        .body().get("queryId").asText()).isEqualTo("q-1");
  }

  @Test
  void cancellingTheFutureStopsTheQuery() throws Exception {
    logs.otherwise("GetQueryResults", status("Running"));
    CompletableFuture<QueryResult> f = runner.runAsync(request());
    while (logs.count("GetQueryResults") == 0) {
      Thread.sleep(5);
    }
    assertThat(f.cancel(true)).isTrue();
    awaitStop();
    long polls = logs.count("GetQueryResults");
    Thread.sleep(60);
    // no more polling after the cancel (at most one that was already in flight)
    assertThat(logs.count("GetQueryResults")).isLessThanOrEqualTo(polls + 1);
  }

  @Test
  void asyncClientWorksTheSame() throws Exception {
    try (CloudWatchLogsAsyncClient async = logs.asyncClient();
        InsightsRunner r = fast(InsightsRunner.builder(async))) {
      logs.script("StartQuery", error(400, "ThrottlingException"));
      logs.script("GetQueryResults", status("Running"), ok(COMPLETE));
      QueryResult result = r.runAsync(request()).get(10, TimeUnit.SECONDS);
      assertThat(result.rows()).extracting(row -> row.get("PodName").orElseThrow()).containsExactly("vllm-0", "vllm-1");
      assertThat(logs.count("StartQuery")).isEqualTo(2);
    }
  }

  @Test
  void sourceQueriesNeedNoLogGroups() {
    Query q = Query.create().source(LogGroupSelection.prefixes("/aws/containerinsights/")).fields(
        Expr.field("@message")).limit(1);
    logs.script("GetQueryResults", ok(COMPLETE));
    runner.run(QueryRequest.builder(q).last(Duration.ofHours(1), Instant.ofEpochSecond(10_000)).build());
    var body = logs.calls().get(0).body();
    assertThat(body.has("logGroupNames")).isFalse();
    assertThat(body.has("logGroupIdentifiers")).isFalse();
    assertThat(body.get("startTime").asLong()).isEqualTo(10_000 - 3600);
    assertThat(body.has("limit")).isFalse();
  }

  @Test
  void requestsAreValidated() {
    Query q = Query.create().fields(Expr.field("@message"));
    Instant t = Instant.ofEpochSecond(100);
    assertThatThrownBy(() -> QueryRequest.builder(q).timeRange(t, t).build())
        .hasMessageStartingWith("logGroupNames: no log groups");
    assertThatThrownBy(() -> QueryRequest.builder(q).logGroupNames(List.of("a")).logGroupIdentifiers(List.of("b"))
        .timeRange(t, t).build()).hasMessageStartingWith("logGroupNames, logGroupIdentifiers");
    assertThatThrownBy(() -> QueryRequest.builder(q).logGroupIdentifiers(List.of("arn:aws:logs:x:1:log-group:a*"))
        .timeRange(t, t).build()).hasMessageStartingWith("logGroupIdentifiers: an ARN must not end with '*'");
    assertThatThrownBy(() -> QueryRequest.builder(q).logGroupNames(java.util.Collections.nCopies(51, "a"))
        .timeRange(t, t).build()).hasMessageStartingWith("logGroupNames: at most 50");
    assertThatThrownBy(() -> QueryRequest.builder(q).logGroupNames(List.of("a")).timeRange(t, t.minusSeconds(1))
        .build()).hasMessageStartingWith("end:");
    assertThatThrownBy(() -> QueryRequest.builder(q).logGroupNames(List.of("a")).timeRange(t, t).limit(10_001)
        .build()).hasMessageStartingWith("limit:");
    assertThatThrownBy(() -> QueryRequest.builder(q).logGroupNames(List.of("a")).build())
        .hasMessageStartingWith("start: missing");
    // SQL names its log groups in the text
    assertThat(QueryRequest.builder("SELECT * FROM `lg`", QueryLanguage.SQL).timeRange(t, t).build().language())
        .isEqualTo(QueryLanguage.SQL);
  }

  private void awaitStop() throws InterruptedException {
    long until = System.nanoTime() + 5_000_000_000L;
    while (logs.count("StopQuery") == 0 && System.nanoTime() < until) {
      Thread.sleep(5);
    }
    assertThat(logs.count("StopQuery")).isEqualTo(1);
    // let the fake finish its answer before the test closes it
    Thread.sleep(50);
  }
}
