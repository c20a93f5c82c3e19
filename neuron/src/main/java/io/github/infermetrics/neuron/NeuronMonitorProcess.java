package io.github.infermetrics.neuron;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs {@code neuron-monitor -c FILE} as a child process and hands each report it prints to a callback, restarting
 * it with exponential backoff whenever it exits, until {@link #close()}.
 *
 * <pre>{@code
 * NeuronPrometheusExporter exporter = new NeuronPrometheusExporter();
 * try (NeuronMonitorProcess monitor = NeuronMonitorProcess.builder(exporter::update)
 *          .config(NeuronMonitorConfig.builder().period(Duration.ofSeconds(1))
 *              .runtime(".*", NeuronMonitorConfig.ALL_RUNTIME_GROUPS)
 *              .systemMetric(NeuronMonitorConfig.MEMORY_INFO).build())
 *          .start();
 *      NeuronPrometheusExporter.Endpoint endpoint = exporter.serve(8000)) {
 *   Thread.currentThread().join();     // serve until stopped
 * }
 * }</pre>
 *
 * <p>The configuration is written to a file (a temporary one, deleted on close, unless {@link Builder#configFile}
 * names one). Reports are read by a {@link NeuronReportReader}, so a bad line is reported to
 * {@link Builder#onError} and skipped. The callbacks run on the supervising thread, one at a time; a slow callback
 * slows the reading, and neuron-monitor then waits on its pipe. The child's stderr goes to this process's stderr.
 * A failed start (no such executable) is retried with the same backoff and logged through {@link System.Logger}
 * {@code io.github.infermetrics.neuron}, as are exits.
 *
 * <p>Thread-safe.
 */
public final class NeuronMonitorProcess implements AutoCloseable {
  /** The executable looked up on the {@code PATH} by default. */
  public static final String DEFAULT_EXECUTABLE = "neuron-monitor";

  private static final System.Logger LOGGER = System.getLogger("io.github.infermetrics.neuron");

  private final List<String> command;
  private final Path configFile;
  private final boolean deleteConfig;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Consumer<NeuronReport> onReport;
  private final NeuronReportReader.Builder readerConfig;
  private final Object lock = new Object();
  private final Thread supervisor;
  private Process process;
  private boolean closed;
  private int starts;
  private long reports;

  private NeuronMonitorProcess(Builder b, Path configFile, boolean deleteConfig) {
    this.configFile = configFile;
    this.deleteConfig = deleteConfig;
    this.command = List.of(b.executable, "-c", configFile.toString());
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.onReport = b.onReport;
    this.readerConfig = NeuronReportReader.builder().maxLineBytes(b.maxLineBytes);
    if (b.onError != null) {
      readerConfig.onError(b.onError);
    }
    this.supervisor = new Thread(this::supervise, "neuron-monitor-supervisor");
    this.supervisor.setDaemon(true);
  }

  /**
   * Starts a configuration.
   *
   * @param onReport called with each report, on the supervising thread
   * @return a builder
   */
  public static Builder builder(Consumer<NeuronReport> onReport) {
    return new Builder(onReport);
  }

  private void supervise() {
    Duration backoff = initialBackoff;
    while (true) {
      Process p;
      synchronized (lock) {
        if (closed) {
          return;
        }
        try {
          p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT)
              .redirectInput(ProcessBuilder.Redirect.PIPE).start();
          p.getOutputStream().close(); // neuron-monitor reads nothing
          process = p;
          starts++;
        } catch (IOException e) {
          p = null;
          LOGGER.log(System.Logger.Level.WARNING, "cannot start " + String.join(" ", command) + ": " + e.getMessage()
              + "; retrying in " + backoff.toMillis() + " ms");
        }
      }
      if (p != null) {
        long before = reports;
        try (NeuronReportReader reader = readerConfig.build(p.getInputStream())) {
          for (NeuronReport r : reader) {
            synchronized (lock) {
              reports++;
            }
            try {
              onReport.accept(r);
            } catch (RuntimeException e) {
              LOGGER.log(System.Logger.Level.WARNING, "the neuron-monitor report callback failed", e);
            }
          }
        } catch (UncheckedIOException e) {
          // the pipe broke: the process is going away, waitFor tells how
        }
        int code = waitFor(p);
        synchronized (lock) {
          if (closed) {
            return;
          }
        }
        if (reports > before) {
          backoff = initialBackoff; // it worked for a while: restart quickly
        }
        LOGGER.log(System.Logger.Level.WARNING, "neuron-monitor exited with code " + code + "; restarting in "
            + backoff.toMillis() + " ms");
      }
      synchronized (lock) {
        long deadline = System.nanoTime() + backoff.toNanos();
        while (!closed) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break;
          }
          try {
            TimeUnit.NANOSECONDS.timedWait(lock, left);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
      backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
    }
  }

  private static int waitFor(Process p) {
    try {
      return p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /**
   * How many times the process was started.
   *
   * @return the count
   */
  public int starts() {
    synchronized (lock) {
      return starts;
    }
  }

  /**
   * How many reports were handed to the callback.
   *
   * @return the count
   */
  public long reports() {
    synchronized (lock) {
      return reports;
    }
  }

  /**
   * Whether a neuron-monitor process is running now.
   *
   * @return true when one is alive
   */
  public boolean isAlive() {
    synchronized (lock) {
      return process != null && process.isAlive();
    }
  }

  /**
   * The configuration file passed with {@code -c}.
   *
   * @return the path
   */
  public Path configFile() {
    return configFile;
  }

  /**
   * Stops the process and its descendants (SIGTERM, then SIGKILL after 5 s), stops restarting it, waits for the supervising thread and
   * deletes a temporary configuration file.
   */
  @Override
  public void close() {
    Process p;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      p = process;
      lock.notifyAll();
    }
    if (p != null) {
      p.descendants().forEach(ProcessHandle::destroy); // a wrapper script's children hold the pipe too
      p.destroy();
      try {
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      supervisor.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (deleteConfig) {
      try {
        Files.deleteIfExists(configFile);
      } catch (IOException e) {
        LOGGER.log(System.Logger.Level.WARNING, "cannot delete " + configFile + ": " + e.getMessage());
      }
    }
  }

  /** Configures and starts a {@link NeuronMonitorProcess}. */
  public static final class Builder {
    private final Consumer<NeuronReport> onReport;
    private String executable = DEFAULT_EXECUTABLE;
    private NeuronMonitorConfig config = NeuronMonitorConfig.defaults();
    private Path configFile;
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(60);
    private int maxLineBytes = NeuronReportReader.DEFAULT_MAX_LINE_BYTES;
    private Consumer<NeuronReportException> onError;

    private Builder(Consumer<NeuronReport> onReport) {
      this.onReport = Objects.requireNonNull(onReport, "onReport");
    }

    /**
     * The executable: a name looked up on the {@code PATH} or a path.
     *
     * @param executable default {@value #DEFAULT_EXECUTABLE}, for example {@code /opt/aws/neuron/bin/neuron-monitor}
     * @return this
     */
    public Builder executable(String executable) {
      if (Objects.requireNonNull(executable, "executable").isBlank()) {
        throw new IllegalArgumentException("executable must not be blank");
      }
      this.executable = executable;
      return this;
    }

    /**
     * What to monitor.
     *
     * @param config default {@link NeuronMonitorConfig#defaults()}
     * @return this
     */
    public Builder config(NeuronMonitorConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * Where to write the configuration (kept on close); by default a temporary file, deleted on close.
     *
     * @param configFile the file
     * @return this
     */
    public Builder configFile(Path configFile) {
      this.configFile = Objects.requireNonNull(configFile, "configFile");
      return this;
    }

    /**
     * The wait before a restart: {@code initial}, doubled after each exit without a report, at most {@code max}.
     *
     * @param initial the first wait, positive (default 1 s)
     * @param max the longest wait, at least {@code initial} (default 60 s)
     * @return this
     */
    public Builder restartBackoff(Duration initial, Duration max) {
      if (initial.isNegative() || initial.isZero()) {
        throw new IllegalArgumentException("restartBackoff initial must be positive: " + initial);
      }
      if (max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("restartBackoff max must be at least initial (" + initial + "): " + max);
      }
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    /**
     * The longest report line accepted ({@link NeuronReportReader.Builder#maxLineBytes}).
     *
     * @param bytes at least 2
     * @return this
     */
    public Builder maxLineBytes(int bytes) {
      NeuronReportReader.builder().maxLineBytes(bytes); // validates
      this.maxLineBytes = bytes;
      return this;
    }

    /**
     * Where bad lines are reported ({@link NeuronReportReader.Builder#onError}); by default they are logged.
     *
     * @param onError called on the supervising thread
     * @return this
     */
    public Builder onError(Consumer<NeuronReportException> onError) {
      this.onError = Objects.requireNonNull(onError, "onError");
      return this;
    }

    /**
     * Writes the configuration file and starts the process.
     *
     * @return the running supervisor
     * @throws UncheckedIOException when the configuration file cannot be written
     */
    public NeuronMonitorProcess start() {
      Path file = configFile;
      boolean temporary = file == null;
      if (temporary) {
        try {
          file = Files.createTempFile("neuron-monitor-", ".json");
        } catch (IOException e) {
          throw new UncheckedIOException("cannot create a temporary neuron-monitor config file", e);
        }
      }
      config.writeTo(file);
      NeuronMonitorProcess p = new NeuronMonitorProcess(this, file, temporary);
      p.supervisor.start();
      return p;
    }
  }

  @Override
  public String toString() {
    return "NeuronMonitorProcess" + new ArrayList<>(command);
  }
}
