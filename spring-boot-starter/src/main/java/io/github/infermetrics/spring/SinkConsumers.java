package io.github.infermetrics.spring;

import io.github.infermetrics.cloudwatch.EmfWriter;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.pipeline.KpiConsumer;
import io.github.infermetrics.core.pipeline.TargetWindow;
import io.github.infermetrics.remotewrite.RemoteWriteSink;

/** The pipeline consumers that feed the EMF and remote-write sinks. */
final class SinkConsumers {
  private SinkConsumers() {}

  /** Every window's KPI sets as EMF events. */
  static KpiConsumer emf(EmfWriter writer) {
    return new KpiConsumer() {
      @Override
      public void accept(TargetWindow window) {
        // windows arrive on several scraping threads and a writer is for one thread at a time; the sink under
        // it queues or appends, so holding the lock is short
        synchronized (writer) {
          for (KpiSet set : window.kpiSets()) {
            writer.write(set);
          }
        }
      }

      @Override
      public String toString() {
        return "EMF to " + writer.sink();
      }
    };
  }

  /** Every window's KPI sets as remote-write samples; the sink is thread-safe and never blocks. */
  static KpiConsumer remoteWrite(RemoteWriteSink sink) {
    return new KpiConsumer() {
      @Override
      public void accept(TargetWindow window) {
        for (KpiSet set : window.kpiSets()) {
          sink.write(set);
        }
      }
    };
  }
}
