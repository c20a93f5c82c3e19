package io.github.infermetrics.tgi;

import java.util.List;

/**
 * The {@code tgi_*} families {@link TgiSnapshot} reads: TGI's router writes them (the same for every backend) with
 * the Rust {@code metrics} crate, unlabelled except for the label that splits a family ({@code err} of failures,
 * {@code method} = {@code prefill} or {@code decode} of batch families). Counters are written without
 * {@code _total}; both spellings are found.
 *
 * <pre>{@code
 * TgiMetric.REQUEST_FAILURE.detailLabel();   // "err"
 * snapshot.familyName(TgiMetric.BATCH_FORWARD_DURATION);   // Optional[tgi_batch_forward_duration]
 * }</pre>
 */
public enum TgiMetric {
  /** Requests received. */
  REQUEST_COUNT(Kind.COUNTER, null, "tgi_request_count"),
  /** Requests that completed successfully. */
  REQUEST_SUCCESS(Kind.COUNTER, null, "tgi_request_success"),
  /** Requests that failed, by {@code err}: validation, overloaded, dropped, incomplete, generation, ... */
  REQUEST_FAILURE(Kind.COUNTER, "err", "tgi_request_failure"),
  /** Requests in the queue now. */
  QUEUE_SIZE(Kind.GAUGE, null, "tgi_queue_size"),
  /** Requests in the running batch now. */
  BATCH_CURRENT_SIZE(Kind.GAUGE, null, "tgi_batch_current_size"),
  /** The tokens the running batch may reach (its reserved token budget). */
  BATCH_CURRENT_MAX_TOKENS(Kind.GAUGE, null, "tgi_batch_current_max_tokens"),
  /** The server's token budget of all batches, set at warm-up from free accelerator memory (TGI 3). */
  BATCH_MAX_TOTAL_TOKENS(Kind.GAUGE, null, "tgi_batch_max_total_tokens"),
  /** Batch inference calls, by {@code method}. */
  BATCH_INFERENCE_COUNT(Kind.COUNTER, "method", "tgi_batch_inference_count"),
  /** Successful batch inference calls, by {@code method}. */
  BATCH_INFERENCE_SUCCESS(Kind.COUNTER, "method", "tgi_batch_inference_success"),
  /** Total time of a request (end to end), seconds. */
  REQUEST_DURATION(Kind.HISTOGRAM, null, "tgi_request_duration"),
  /** Time a request waited in the queue, seconds. */
  REQUEST_QUEUE_DURATION(Kind.HISTOGRAM, null, "tgi_request_queue_duration"),
  /** Time validating (and tokenizing) a request, seconds. */
  REQUEST_VALIDATION_DURATION(Kind.HISTOGRAM, null, "tgi_request_validation_duration"),
  /** Time from a request's first batch to its end, seconds. */
  REQUEST_INFERENCE_DURATION(Kind.HISTOGRAM, null, "tgi_request_inference_duration"),
  /** Each request's mean time per generated token, seconds. */
  REQUEST_MEAN_TIME_PER_TOKEN_DURATION(Kind.HISTOGRAM, null, "tgi_request_mean_time_per_token_duration"),
  /** Input tokens per request. */
  REQUEST_INPUT_LENGTH(Kind.HISTOGRAM, null, "tgi_request_input_length"),
  /** Generated tokens per request. */
  REQUEST_GENERATED_TOKENS(Kind.HISTOGRAM, null, "tgi_request_generated_tokens"),
  /** {@code max_new_tokens} per request. */
  REQUEST_MAX_NEW_TOKENS(Kind.HISTOGRAM, null, "tgi_request_max_new_tokens"),
  /** Model forward time of a batch, by {@code method}, seconds. */
  BATCH_FORWARD_DURATION(Kind.HISTOGRAM, "method", "tgi_batch_forward_duration"),
  /** Detokenizing time of a batch, by {@code method}, seconds. */
  BATCH_DECODE_DURATION(Kind.HISTOGRAM, "method", "tgi_batch_decode_duration"),
  /** Whole inference call of a batch, by {@code method}, seconds. */
  BATCH_INFERENCE_DURATION(Kind.HISTOGRAM, "method", "tgi_batch_inference_duration"),
  /** Filtering a batch and sending its tokens, by {@code method}, seconds. */
  BATCH_FILTER_DURATION(Kind.HISTOGRAM, "method", "tgi_batch_filter_duration"),
  /** Concatenating new requests into the running batch, by {@code method}, seconds. */
  BATCH_CONCAT_DURATION(Kind.HISTOGRAM, "method", "tgi_batch_concat_duration"),
  /** Requests in each next batch. */
  BATCH_NEXT_SIZE(Kind.HISTOGRAM, null, "tgi_batch_next_size");

  /** The family's type. */
  public enum Kind {
    /** A counter: rates over the window. */
    COUNTER,
    /** A gauge: the value now. */
    GAUGE,
    /** A histogram: mean and percentiles over the window. */
    HISTOGRAM
  }

  private final Kind kind;
  private final String detailLabel;
  private final String name;

  TgiMetric(Kind kind, String detailLabel, String name) {
    this.kind = kind;
    this.detailLabel = detailLabel;
    this.name = name;
  }

  /**
   * The family's type.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The label that splits the family.
   *
   * @return {@code err}, {@code method}, or null for an unlabelled family
   */
  public String detailLabel() {
    return detailLabel;
  }

  /**
   * The family name as TGI writes it.
   *
   * @return for example {@code tgi_request_success}
   */
  public String familyName() {
    return name;
  }

  /** The names to look for: as written, and a counter also with {@code _total} (OpenMetrics style). */
  List<String> lookupNames() {
    return kind == Kind.COUNTER ? List.of(name, name + "_total") : List.of(name);
  }
}
