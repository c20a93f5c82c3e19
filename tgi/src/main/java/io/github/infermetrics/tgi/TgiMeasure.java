package io.github.infermetrics.tgi;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiUnit;
import io.github.infermetrics.core.kpi.Measure;
import java.util.Optional;

/**
 * The single-valued KPIs {@link TgiKpis} computes: for the server (no dimension: TGI serves one model and its
 * {@code /metrics} does not name it), per batch {@code method} ({@code prefill}, {@code decode}) and per failure
 * {@code reason} (TGI's {@code err}). The core KPIs carry the vocabulary's names as the vllm module fills them
 * ({@code request_rate_per_second}, {@code queue_depth}, {@code batch_size}); there is no time to first token:
 * TGI does not measure one, and {@link #TIME_TO_FIRST_TOKEN_FLOOR} says what can be said instead.
 */
public enum TgiMeasure implements Measure {
  /** Requests finished per second, successful or failed. */
  REQUEST_RATE(Kpi.REQUEST_RATE, "REQ/S"),
  /** Failed requests per second. */
  ERROR_RATE(Kpi.ERROR_RATE, "ERR/S"),
  /** Failed over finished requests. */
  ERROR_RATIO(Kpi.ERROR_RATIO, "ERR"),
  /** Requests completed successfully per second ({@code tgi_request_success}). */
  GOODPUT("goodput", KpiUnit.PER_SECOND, KpiStatistic.VALUE, "GOOD/S", Scope.SERVER,
      "Requests completed successfully per second"),
  /** Requests received per second ({@code tgi_request_count}). */
  ARRIVAL_RATE("requests_received", KpiUnit.PER_SECOND, KpiStatistic.VALUE, "IN/S", Scope.SERVER,
      "Requests received per second"),
  /** Input tokens of finished requests per second (the sum of {@code tgi_request_input_length}). */
  PROMPT_TOKEN_RATE(Kpi.PROMPT_TOKEN_RATE, "PROMPT TOK/S"),
  /** Generated tokens of finished requests per second (the sum of {@code tgi_request_generated_tokens}). */
  GENERATION_TOKEN_RATE(Kpi.GENERATION_TOKEN_RATE, "GEN TOK/S"),
  /** Mean input tokens per finished request. */
  PROMPT_TOKENS_PER_REQUEST("prompt_tokens_per_request", KpiUnit.COUNT, KpiStatistic.MEAN, "PROMPT/REQ",
      Scope.SERVER, "Mean input tokens per finished request"),
  /** Mean generated tokens per finished request. */
  GENERATION_TOKENS_PER_REQUEST("generation_tokens_per_request", KpiUnit.COUNT, KpiStatistic.MEAN, "GEN/REQ",
      Scope.SERVER, "Mean generated tokens per finished request"),
  /** Mean {@code max_new_tokens} per finished request. */
  MAX_NEW_TOKENS_PER_REQUEST("max_new_tokens_per_request", KpiUnit.COUNT, KpiStatistic.MEAN, "MAXNEW/REQ",
      Scope.SERVER, "Mean max_new_tokens per finished request"),
  /** Requests in the queue now ({@code tgi_queue_size}). */
  QUEUE_SIZE(Kpi.QUEUE_DEPTH, "QUEUE"),
  /** Requests in the running batch now ({@code tgi_batch_current_size}). */
  BATCH_SIZE(Kpi.BATCH_SIZE, "BATCH"),
  /** Queued over queued plus batched requests, now. */
  QUEUE_PRESSURE("queue_pressure", KpiUnit.RATIO, KpiStatistic.VALUE, "QPRESS", Scope.SERVER,
      "Queued requests over queued plus batched"),
  /** The tokens the running batch may reach ({@code tgi_batch_current_max_tokens}). */
  BATCH_MAX_TOKENS("batch_max_tokens", KpiUnit.COUNT, KpiStatistic.VALUE, "BATCH TOK", Scope.SERVER,
      "The tokens the running batch may reach"),
  /** The server's token budget for all batches ({@code tgi_batch_max_total_tokens}, TGI 3). */
  BATCH_TOKEN_BUDGET("batch_token_budget", KpiUnit.COUNT, KpiStatistic.VALUE, "TOK BUDGET", Scope.SERVER,
      "The server's token budget for all batches"),
  /**
   * {@link #BATCH_MAX_TOKENS} over {@link #BATCH_TOKEN_BUDGET}: how much of the token budget (TGI's measure of KV
   * cache room) the running batch holds. Not the KV-cache usage: TGI reserves a request's tokens up to its
   * {@code max_new_tokens}, which it may never use.
   */
  BATCH_TOKEN_BUDGET_USAGE("batch_token_budget_usage", KpiUnit.RATIO, KpiStatistic.VALUE, "BUDGET", Scope.SERVER,
      "Share of the token budget the running batch holds"),
  /** Mean requests per next batch formed. */
  NEXT_BATCH_SIZE("next_batch_size", KpiUnit.COUNT, KpiStatistic.MEAN, "NEXT BATCH", Scope.SERVER,
      "Mean requests per batch formed"),
  /**
   * What of the time to first token TGI measures: mean queue time + mean validation time + the mean prefill batch
   * forward time ({@code tgi_batch_forward_duration{method="prefill"}}, when present). A request's first token
   * cannot come sooner on average (it waits in the queue after validation, then its prefill batch runs), but it
   * comes later (tokenization and network outside, the decode of the first token, a batch concatenation), so read it
   * as a floor, never as a TTFT; TGI has no TTFT histogram and no time to first token is made up from it.
   */
  TIME_TO_FIRST_TOKEN_FLOOR("time_to_first_token_floor", KpiUnit.SECONDS, KpiStatistic.MEAN, "TTFT FLOOR",
      Scope.SERVER, "Mean queue + validation + prefill forward time: a floor under the time to first token"),
  /** Batch inference calls per second, by {@code method}. */
  BATCH_RATE("batches", KpiUnit.PER_SECOND, KpiStatistic.VALUE, "BATCH/S", Scope.METHOD,
      "Batch inference calls per second"),
  /** Failed batch inference calls per second, by {@code method}. */
  BATCH_FAILURE_RATE("batch_failures", KpiUnit.PER_SECOND, KpiStatistic.VALUE, "BATCH FAIL/S", Scope.METHOD,
      "Failed batch inference calls per second"),
  /** Failed requests per second by {@code reason} (TGI's {@code err}); they add up to {@link #ERROR_RATE}. */
  FAILURE_RATE("failures", KpiUnit.PER_SECOND, KpiStatistic.VALUE, "FAIL/S", Scope.REASON,
      "Failed requests per second");

  /** What a measure's values are of. */
  public enum Scope {
    /** The server: no dimension. */
    SERVER,
    /** A batch method: dimension {@code method}. */
    METHOD,
    /** A failure reason: dimension {@code reason}. */
    REASON
  }

  private final String id;
  private final KpiUnit unit;
  private final KpiStatistic statistic;
  private final String header;
  private final Kpi kpi;
  private final Scope scope;
  private final String description;

  TgiMeasure(Kpi kpi, String header) {
    this.id = kpi.id();
    this.unit = kpi.unit();
    this.statistic = KpiStatistic.VALUE;
    this.header = header;
    this.kpi = kpi;
    this.scope = Scope.SERVER;
    this.description = kpi.description();
  }

  TgiMeasure(String id, KpiUnit unit, KpiStatistic statistic, String header, Scope scope, String description) {
    this.id = id;
    this.unit = unit;
    this.statistic = statistic;
    this.header = header;
    this.kpi = null;
    this.scope = scope;
    this.description = description;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public KpiUnit unit() {
    return unit;
  }

  @Override
  public KpiStatistic statistic() {
    return statistic;
  }

  @Override
  public String header() {
    return header;
  }

  @Override
  public Optional<Kpi> kpi() {
    return Optional.ofNullable(kpi);
  }

  @Override
  public String description() {
    return description;
  }

  /**
   * What its values are of.
   *
   * @return the scope
   */
  public Scope scope() {
    return scope;
  }
}
