/**
 * {@code infermetrics loadtest}: drives an OpenAI-compatible model server with a sweep of loads, watches its
 * {@code /metrics} (and its accelerators') while it runs, and answers which load the server sustains at an SLO.
 *
 * <p>The pieces, in the order a run uses them: {@link io.github.infermetrics.cli.loadtest.LoadTestSettings} (what to
 * run, read from the command line), prompts ({@code PromptSource}: synthetic, JSONL or ShareGPT), the client
 * ({@code OpenAiClient}: one {@code RequestRecord} per request, every token timestamped), one {@code StepRunner} per
 * load step (Poisson arrivals or fixed concurrency, warm-up, bounds), the server's side ({@code ServerWatch}: a
 * {@link io.github.infermetrics.core.pipeline.KpiPipeline} as {@code watch} runs, plus a window per step), the
 * per-step statistics and the {@code Verdict}, and the report files ({@code ReportJson}, {@code ReportCsv},
 * {@code ReportHtml}). {@link io.github.infermetrics.cli.loadtest.LoadTest} runs it all;
 * {@link io.github.infermetrics.cli.loadtest.RunComparison} reads several reports side by side.
 *
 * <p>The module does not export this package: its public types are for the command in
 * {@code io.github.infermetrics.cli}, not API.
 */
package io.github.infermetrics.cli.loadtest;
