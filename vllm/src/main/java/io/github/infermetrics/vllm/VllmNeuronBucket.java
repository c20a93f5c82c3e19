package io.github.infermetrics.vllm;

import io.github.infermetrics.core.snapshot.HistogramPoint;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The {@code vllm_neuron:} series of one model, compiled bucket and rank (vLLM-Neuron only). Gauges without a
 * {@code bucket_name} label (startup, model load) sit in the bucket {@code ""}.
 *
 * @param model the {@code model_name} label, {@code ""} when absent
 * @param bucketName the {@code bucket_name} label, for example {@code prefill_s1024}; {@code ""} when absent
 * @param rankId the {@code rank_id} label, {@code ""} when absent
 * @param neffExecutions NEFF executions since start
 * @param compilationTimeSeconds compilation time of this bucket
 * @param startupTimeSeconds startup time
 * @param modelLoadTimeSeconds model load time
 * @param modelLoadSizeBytes model load size
 * @param numSeqsPadding padded sequences per step
 * @param numBatchedTokensPadding padded batched tokens per step
 */
public record VllmNeuronBucket(String model, String bucketName, String rankId, OptionalDouble neffExecutions,
    OptionalDouble compilationTimeSeconds, OptionalDouble startupTimeSeconds, OptionalDouble modelLoadTimeSeconds,
    OptionalDouble modelLoadSizeBytes, Optional<HistogramPoint> numSeqsPadding,
    Optional<HistogramPoint> numBatchedTokensPadding) {
  /**
   * Validates.
   *
   * @param model the model
   * @param bucketName the bucket
   * @param rankId the rank
   * @param neffExecutions NEFF executions
   * @param compilationTimeSeconds compilation time
   * @param startupTimeSeconds startup time
   * @param modelLoadTimeSeconds model load time
   * @param modelLoadSizeBytes model load size
   * @param numSeqsPadding padded sequences histogram
   * @param numBatchedTokensPadding padded tokens histogram
   */
  public VllmNeuronBucket {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(bucketName, "bucketName");
    Objects.requireNonNull(rankId, "rankId");
    Objects.requireNonNull(neffExecutions, "neffExecutions");
    Objects.requireNonNull(compilationTimeSeconds, "compilationTimeSeconds");
    Objects.requireNonNull(startupTimeSeconds, "startupTimeSeconds");
    Objects.requireNonNull(modelLoadTimeSeconds, "modelLoadTimeSeconds");
    Objects.requireNonNull(modelLoadSizeBytes, "modelLoadSizeBytes");
    Objects.requireNonNull(numSeqsPadding, "numSeqsPadding");
    Objects.requireNonNull(numBatchedTokensPadding, "numBatchedTokensPadding");
  }
}
