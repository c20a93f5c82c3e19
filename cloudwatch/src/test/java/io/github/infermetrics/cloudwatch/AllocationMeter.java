package io.github.infermetrics.cloudwatch;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Assumptions;

/**
 * Bytes allocated by the current thread, from {@code com.sun.management.ThreadMXBean} (a copy of core's test
 * helper). Tests skip when the JVM does not offer the counter.
 */
final class AllocationMeter {
  private final com.sun.management.ThreadMXBean bean;
  private final long threadId = Thread.currentThread().getId();

  private AllocationMeter(com.sun.management.ThreadMXBean bean) {
    this.bean = bean;
  }

  static AllocationMeter forCurrentThread() {
    java.lang.management.ThreadMXBean b = ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(b instanceof com.sun.management.ThreadMXBean, "no com.sun.management.ThreadMXBean");
    com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) b;
    Assumptions.assumeTrue(bean.isThreadAllocatedMemorySupported(), "thread allocation counting unsupported");
    if (!bean.isThreadAllocatedMemoryEnabled()) {
      bean.setThreadAllocatedMemoryEnabled(true);
    }
    return new AllocationMeter(bean);
  }

  long allocatedBytes() {
    return bean.getThreadAllocatedBytes(threadId);
  }

  long measure(Runnable action) {
    long before = allocatedBytes();
    action.run();
    return allocatedBytes() - before;
  }
}
