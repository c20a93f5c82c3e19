package io.github.infermetrics.vllm;

/** Two scrapes of Triton serving a model through its vLLM backend: {@code model}/{@code version} labels. */
final class TritonScrape {
  private TritonScrape() {}

  static final String PREVIOUS = """
      # HELP nv_inference_count Number of inferences performed (does not include cached requests)
      # TYPE nv_inference_count counter
      nv_inference_count{model="vllm_model",version="1"} 10
      # HELP vllm:prompt_tokens_total Number of prefill tokens processed.
      # TYPE vllm:prompt_tokens_total counter
      vllm:prompt_tokens_total{model="vllm_model",version="1"} 10
      # HELP vllm:generation_tokens_total Number of generation tokens processed.
      # TYPE vllm:generation_tokens_total counter
      vllm:generation_tokens_total{model="vllm_model",version="1"} 100
      # HELP vllm:time_per_output_token_seconds Histogram of time per output token in seconds.
      # TYPE vllm:time_per_output_token_seconds histogram
      vllm:time_per_output_token_seconds_count{model="vllm_model",version="1"} 10
      vllm:time_per_output_token_seconds_sum{model="vllm_model",version="1"} 0.5
      vllm:time_per_output_token_seconds_bucket{model="vllm_model",version="1",le="0.01"} 0
      vllm:time_per_output_token_seconds_bucket{model="vllm_model",version="1",le="0.025"} 0
      vllm:time_per_output_token_seconds_bucket{model="vllm_model",version="1",le="0.05"} 10
      vllm:time_per_output_token_seconds_bucket{model="vllm_model",version="1",le="0.075"} 10
      vllm:time_per_output_token_seconds_bucket{model="vllm_model",version="1",le="+Inf"} 10
      """;

  static final String CURRENT = """
      # HELP nv_inference_count Number of inferences performed (does not include cached requests)
      # TYPE nv_inference_count counter
      nv_inference_count{model="vllm_model",version="1"} 11
      # HELP vllm:prompt_tokens_total Number of prefill tokens processed.
      # TYPE vllm:prompt_tokens_total counter
      vllm:prompt_tokens_total{model="vllm_model",version="1"} 110
      # HELP vllm:generation_tokens_total Number of generation tokens processed.
      # TYPE vllm:generation_tokens_total counter
      vllm:generation_tokens_total{model="vllm_model",version="1"} 180
      # HELP vllm:time_per_output_token_seconds Histogram of time per output token in seconds.
      # TYPE vllm:time_per_output_token_seconds histogram
      vllm:time_per_output_token_seconds_count{model="vllm_model",version="1"} 90
      vllm:time_per_output_token_seconds_sum{model="vllm_model",version="1"} 3.7
      vllm:time_per_output_token_seconds_bucket{model="vllm_model",version="1",le="0.01"} 0
      vllm:time_per_output_token_seconds_bucket{model="vllm_model",version="1",le="0.025"} 20
      vllm:time_per_output_token_seconds_bucket{model="vllm_model",version="1",le="0.05"} 70
      vllm:time_per_output_token_seconds_bucket{model="vllm_model",version="1",le="0.075"} 90
      vllm:time_per_output_token_seconds_bucket{model="vllm_model",version="1",le="+Inf"} 90
      """;
}
