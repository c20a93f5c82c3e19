/**
 * Embedded simulators of inference servers, on loopback, whose output has the real servers' byte format: a vLLM V1
 * server ({@link io.github.infermetrics.cli.simulate.VllmSimulator}: {@code /metrics} and an OpenAI-compatible
 * {@code /v1/completions} that streams tokens), an SGLang server
 * ({@link io.github.infermetrics.cli.simulate.SglangSimulator}) and a text-generation-inference server
 * ({@link io.github.infermetrics.cli.simulate.TgiSimulator}) that serve requests through a continuous batch, a Triton
 * metrics endpoint ({@link io.github.infermetrics.cli.simulate.TritonSimulator}), a neuron-monitor report stream
 * ({@link io.github.infermetrics.cli.simulate.NeuronMonitorSimulator}) and an NVIDIA dcgm-exporter whose GPUs follow
 * a vLLM simulator's engines ({@link io.github.infermetrics.cli.simulate.DcgmSimulator},
 * {@link io.github.infermetrics.cli.simulate.GpuLoad}). Load follows a
 * {@link io.github.infermetrics.cli.simulate.LoadPattern} with a seed;
 * {@link io.github.infermetrics.cli.simulate.LoadDriver} sends it to any completions endpoint.
 *
 * <pre>{@code
 * LoadPattern pattern = LoadPattern.parse("ramp:1-20/60s");
 * try (VllmSimulator vllm = VllmSimulator.start(VllmSimulator.Config.builder().engines(2).seed(1).build());
 *     LoadDriver load = LoadDriver.start(vllm.completionsUri(), pattern, 1);
 *     TritonSimulator triton = TritonSimulator.start(TritonSimulator.Config.builder().pattern(pattern).build())) {
 *   // scrape vllm.metricsUri() and triton.metricsUri()
 * }
 * }</pre>
 */
package io.github.infermetrics.cli.simulate;
