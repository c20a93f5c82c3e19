package io.github.infermetrics.vllm;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One vLLM-Neuron compiled bucket over a {@link VllmKpis} window.
 *
 * @param model the {@code model_name} label, {@code ""} when absent
 * @param bucketName the {@code bucket_name} label, {@code ""} when absent
 * @param rankId the {@code rank_id} label, {@code ""} when absent
 * @param neffExecutionsPerSecond NEFF executions per second
 * @param meanSeqsPadding mean padded sequences per step in the window
 * @param meanBatchedTokensPadding mean padded batched tokens per step in the window
 * @param compilationTimeSeconds the bucket's compilation time (a gauge)
 */
public record VllmNeuronBucketKpis(String model, String bucketName, String rankId,
    OptionalDouble neffExecutionsPerSecond, OptionalDouble meanSeqsPadding, OptionalDouble meanBatchedTokensPadding,
    OptionalDouble compilationTimeSeconds) {
  /**
   * Validates.
   *
   * @param model the model
   * @param bucketName the bucket
   * @param rankId the rank
   * @param neffExecutionsPerSecond executions per second
   * @param meanSeqsPadding mean padded sequences
   * @param meanBatchedTokensPadding mean padded tokens
   * @param compilationTimeSeconds compilation time
   */
  public VllmNeuronBucketKpis {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(bucketName, "bucketName");
    Objects.requireNonNull(rankId, "rankId");
    Objects.requireNonNull(neffExecutionsPerSecond, "neffExecutionsPerSecond");
    Objects.requireNonNull(meanSeqsPadding, "meanSeqsPadding");
    Objects.requireNonNull(meanBatchedTokensPadding, "meanBatchedTokensPadding");
    Objects.requireNonNull(compilationTimeSeconds, "compilationTimeSeconds");
  }
}
