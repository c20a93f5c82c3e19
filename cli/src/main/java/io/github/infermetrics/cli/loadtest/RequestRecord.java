package io.github.infermetrics.cli.loadtest;

import java.util.Arrays;
import java.util.Objects;

/**
 * What the client saw of one request: when it was due and sent, when each token arrived, how it ended. Times are
 * whole microseconds (the report's resolution), offsets from the run's start or from the request's send.
 *
 * @param id the request's number in the run, from 1
 * @param step the step's number, from 1
 * @param warmup whether it was sent during the step's warm-up (then it is not in the step's statistics)
 * @param status how it ended
 * @param dueMicros when it was due to be sent, from the run's start
 * @param sentMicros when it was sent, from the run's start; -1 when it was not
 * @param ttftMicros time to first token from the send; -1 without a token or without streaming
 * @param e2eMicros time to the end of the response from the send; -1 when it did not succeed
 * @param tokenMicros when each chunk with output arrived, from the send (streaming only)
 * @param promptTokens prompt tokens: the server's {@code usage}, else the client's estimate
 * @param outputTokens output tokens: the server's {@code usage}, else counted (see {@code tokensFrom})
 * @param tokensFrom where the token counts come from
 * @param error why it failed, for people; null when it succeeded
 * @param errorKind the kind of failure, to count them by ({@code HTTP 503}, {@code timeout}); null when it
 *     succeeded
 */
record RequestRecord(int id, int step, boolean warmup, Status status, long dueMicros, long sentMicros,
    long ttftMicros, long e2eMicros, int[] tokenMicros, int promptTokens, int outputTokens, TokensFrom tokensFrom,
    String error, String errorKind) {

  /** How a request ended. */
  enum Status {
    /** It completed with output. */
    OK,
    /** The server refused it, the connection failed, or the response was not a complete answer. */
    FAILED,
    /** A time limit or Ctrl-C ended it before it completed. */
    CUT_OFF,
    /** It was due while the cap of outstanding requests was reached, so it was never sent. */
    NOT_SENT;

    String text() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Where token counts come from. */
  enum TokensFrom {
    /** The server's {@code usage} object. */
    USAGE,
    /** Output: the chunks that carried text (vLLM streams one token a chunk); prompt: 4 characters a token. */
    CHUNKS,
    /** 4 characters a token, of the output text of a response without {@code usage}. */
    ESTIMATE;

    String text() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  RequestRecord {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(tokenMicros, "tokenMicros");
    Objects.requireNonNull(tokensFrom, "tokensFrom");
    if ((status == Status.OK) != (error == null)) {
      throw new IllegalArgumentException("an error is given exactly when the request failed");
    }
  }

  /**
   * Whether it succeeded.
   *
   * @return true for {@link Status#OK}
   */
  boolean ok() {
    return status == Status.OK;
  }

  /**
   * Time to first token.
   *
   * @return seconds, or NaN
   */
  double ttftSeconds() {
    return ttftMicros < 0 ? Double.NaN : ttftMicros / 1e6;
  }

  /**
   * End-to-end latency.
   *
   * @return seconds, or NaN
   */
  double e2eSeconds() {
    return e2eMicros < 0 ? Double.NaN : e2eMicros / 1e6;
  }

  /**
   * Time per output token after the first, as {@code vllm bench serve} computes TPOT: (E2E − TTFT) / (output
   * tokens − 1). This is the per-request inter-token latency that an {@code itl} (or {@code tpot}) objective is
   * checked against.
   *
   * @return seconds, or NaN when it failed, did not stream, or has fewer than 2 output tokens
   */
  double tpotSeconds() {
    if (!ok() || ttftMicros < 0 || outputTokens < 2) {
      return Double.NaN;
    }
    return (e2eMicros - ttftMicros) / 1e6 / (outputTokens - 1);
  }

  /**
   * The gaps between consecutive chunks with output, the inter-token latencies {@code vllm bench serve} pools into
   * its ITL.
   *
   * @return microseconds, one fewer than the chunks
   */
  long[] gapMicros() {
    long[] out = new long[Math.max(0, tokenMicros.length - 1)];
    for (int i = 1; i < tokenMicros.length; i++) {
      out[i - 1] = (long) tokenMicros[i] - tokenMicros[i - 1];
    }
    return out;
  }

  /**
   * When it ended, from the run's start.
   *
   * @return microseconds, or -1 when it was not sent or did not succeed
   */
  long endMicros() {
    return sentMicros < 0 || e2eMicros < 0 ? -1 : sentMicros + e2eMicros;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RequestRecord r && r.id == id && r.step == step && r.warmup == warmup
        && r.status == status && r.dueMicros == dueMicros && r.sentMicros == sentMicros
        && r.ttftMicros == ttftMicros && r.e2eMicros == e2eMicros && Arrays.equals(r.tokenMicros, tokenMicros)
        && r.promptTokens == promptTokens && r.outputTokens == outputTokens && r.tokensFrom == tokensFrom
        && Objects.equals(r.error, error) && Objects.equals(r.errorKind, errorKind);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, step, status, sentMicros);
  }

  @Override
  public String toString() {
    return "request " + id + " (step " + step + (warmup ? ", warm-up" : "") + "): " + status.text()
        + (error == null ? "" : " " + error);
  }
}
