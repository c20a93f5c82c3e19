package io.github.infermetrics.core.discovery;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The bookkeeping every {@link TargetDiscovery} shares: the current list, the listener, error counting and logging.
 * For implementations of {@link TargetDiscovery}, such as the Kubernetes discovery of {@code infermetrics-kubernetes}.
 *
 * <pre>{@code
 * TargetPublisher publisher = new TargetPublisher("file_sd /etc/targets.json");
 * publisher.start(listener);
 * publisher.publish(labelling.resolve(groups));    // calls the listener if the list changed (and the first time)
 * publisher.error("/etc/targets.json:3:9: $[0].targets: expected an array of strings, found a string");
 * }</pre>
 *
 * <p>The listener is called with the lock held, so never twice at once, and only when the list differs from the
 * one it had last (the first list always). {@link #current()}, {@link #errors()} and {@link #lastError()} do not
 * take the lock, so a listener may call them. Errors are logged through {@link System.Logger} at WARNING, and a
 * message equal to the previous one at DEBUG, so a source that stays broken does not flood the log.
 */
public final class TargetPublisher {
  private final String description;
  private final System.Logger logger;
  private final AtomicLong errors = new AtomicLong();
  private volatile String lastError;
  private volatile List<DiscoveredTarget> current = List.of();
  private volatile int dropped;
  private Consumer<List<DiscoveredTarget>> listener;
  private boolean published;
  private boolean closed;

  /**
   * A publisher.
   *
   * @param description the discovery's one-line description, which starts log lines
   */
  public TargetPublisher(String description) {
    this.description = Objects.requireNonNull(description, "description");
    this.logger = System.getLogger(TargetDiscovery.class.getName());
  }

  /**
   * Sets the listener.
   *
   * @param listener gets each complete list
   * @throws IllegalStateException when started before, or closed
   */
  public synchronized void start(Consumer<List<DiscoveredTarget>> listener) {
    Objects.requireNonNull(listener, "listener");
    if (closed) {
      throw new IllegalStateException(description + ": closed");
    }
    if (this.listener != null) {
      throw new IllegalStateException(description + ": already started");
    }
    this.listener = listener;
  }

  /**
   * Records a new complete list: its rejected targets are errors, its dropped count is kept, and the listener is
   * called when the list differs from the last one (or is the first).
   *
   * @param resolved what the discovery found
   */
  public synchronized void publish(ResolvedTargets resolved) {
    for (String e : resolved.errors()) {
      error(e);
    }
    dropped = resolved.dropped();
    if (closed || (published && resolved.targets().equals(current))) {
      return;
    }
    current = resolved.targets();
    published = true;
    if (listener != null) {
      try {
        listener.accept(current);
      } catch (RuntimeException e) {
        error("listener failed: " + e);
      }
    }
  }

  /**
   * Counts and logs an error; the current list stays.
   *
   * @param message one line with its place
   */
  public void error(String message) {
    errors.incrementAndGet();
    Level level = message.equals(lastError) ? Level.DEBUG : Level.WARNING;
    lastError = message;
    logger.log(level, description + ": " + message);
  }

  /**
   * Stops calling the listener.
   */
  public synchronized void close() {
    closed = true;
  }

  /**
   * The last list published.
   *
   * @return the targets; empty before the first
   */
  public List<DiscoveredTarget> current() {
    return current;
  }

  /**
   * The description given.
   *
   * @return the description
   */
  public String description() {
    return description;
  }

  /**
   * Errors so far.
   *
   * @return the count
   */
  public long errors() {
    return errors.get();
  }

  /**
   * The last error.
   *
   * @return its message, or empty
   */
  public Optional<String> lastError() {
    return Optional.ofNullable(lastError);
  }

  /**
   * Targets relabelling dropped from the last list.
   *
   * @return the count
   */
  public int droppedTargets() {
    return dropped;
  }
}
