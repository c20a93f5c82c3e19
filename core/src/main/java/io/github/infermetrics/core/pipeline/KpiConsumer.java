package io.github.infermetrics.core.pipeline;

/**
 * Receives the windows a {@link KpiPipeline} computes: a binder, an EMF or remote-write sink, a live view. Called on
 * the scraping threads, one call at a time per target (different targets at once); keep it short. An exception is
 * counted by the pipeline ({@link KpiPipeline#consumerFailures()}) and does not stop other consumers.
 */
@FunctionalInterface
public interface KpiConsumer {
  /**
   * Takes a window.
   *
   * @param window one target's KPIs over one window
   */
  void accept(TargetWindow window);

  /**
   * A target left the pipeline (discovery lost it, or it was removed): forget its state, remove its meters.
   *
   * @param target the target's name
   */
  default void removed(String target) {}
}
