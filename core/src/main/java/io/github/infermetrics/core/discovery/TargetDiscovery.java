package io.github.infermetrics.core.discovery;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A source of scrape targets that come and go: a {@code file_sd} file, an {@code http_sd} endpoint, the Kubernetes
 * API.
 *
 * <pre>{@code
 * try (TargetDiscovery discovery = new FileSdDiscovery(FileSdConfig.parse("/etc/infermetrics/targets/*.json"))) {
 *   // the complete list, after every change
 *   discovery.start(found -> pipeline.replaceTargets(
 *       found.stream().map(t -> PipelineTarget.builder(t).build()).toList()));
 *   ...
 *   log.info(discovery.description() + ": " + discovery.current().size() + " targets, "
 *       + discovery.errors() + " errors" + discovery.lastError().map(e -> ", last: " + e).orElse(""));
 * }
 * }</pre>
 *
 * <p>Errors (a file that does not parse, an endpoint that is down, a target whose address is not valid) never end
 * discovery and never empty the list: the last good list stays, each error is counted and logged through
 * {@link System.Logger}, and the last one is kept for status pages.
 */
public interface TargetDiscovery extends AutoCloseable {
  /**
   * Starts discovering. The listener gets the complete current target list once the first look succeeds (even an
   * empty list), then again after every change, from one thread at a time (never two calls at once). The
   * implementations here make the first look before {@code start} returns, bounded by their timeouts; when it
   * fails, the error is counted and the first list comes with the first look that succeeds. A listener that throws
   * is counted as an error; discovery goes on.
   *
   * @param listener gets each complete list, sorted by name
   * @throws IllegalStateException when started before, or closed
   */
  void start(Consumer<List<DiscoveredTarget>> listener);

  /**
   * The last complete list.
   *
   * @return the targets, sorted by name; empty before the first
   */
  List<DiscoveredTarget> current();

  /**
   * One line for logs and {@code --help}.
   *
   * @return for example {@code file_sd /etc/targets/*.json}
   */
  String description();

  /**
   * Errors so far: sources that failed to load or parse, targets rejected, listeners that threw.
   *
   * @return the count
   */
  long errors();

  /**
   * The last error's message, with its place ({@code targets.json:3:14: $[0].labels.job: ...}).
   *
   * @return the message, or empty when there was none
   */
  Optional<String> lastError();

  /**
   * Targets that relabelling rules ({@code keep}, {@code drop}, ...) left out of the current list; on purpose, so
   * not errors, but counted.
   *
   * @return the count
   */
  int droppedTargets();

  /** Stops discovering and releases threads and connections; the listener is not called afterwards. */
  @Override
  void close();
}
