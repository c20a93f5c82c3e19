package io.github.infermetrics.core.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One target's state at one moment, for tables, health checks and {@code /api} answers.
 *
 * @param target the target
 * @param state what it is doing
 * @param reason why it is {@link State#DOWN} or {@link State#UNRECOGNIZED}; empty otherwise
 * @param sources the sources found in (or named for) its last good scrape
 * @param last its latest window
 * @param windows windows computed so far
 * @param lastScrape when its last scrape started, successful or not
 * @param failedScrapes scrapes that failed so far (connection, HTTP status, parse error, timeout)
 */
public record TargetStatus(PipelineTarget target, State state, Optional<String> reason, List<String> sources,
    Optional<TargetWindow> last, long windows, Optional<Instant> lastScrape, long failedScrapes) {
  /** What a target is doing. */
  public enum State {
    /** Not scraped yet, or scraped once: a window needs two scrapes. */
    WAITING,
    /** Its last scrape succeeded and gave a window. */
    UP,
    /** Its last scrape failed (connection, HTTP status, parse error, timeout), or a named source is missing. */
    DOWN,
    /** Its last scrape succeeded but no known source recognises what it exposes. */
    UNRECOGNIZED
  }

  /**
   * Validates and copies.
   *
   * @param target the target
   * @param state the state
   * @param reason the reason
   * @param sources the sources
   * @param last the last window
   * @param windows the count
   * @param lastScrape the last scrape's start
   * @param failedScrapes the count of failed scrapes; not negative
   */
  public TargetStatus {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(reason, "reason");
    sources = List.copyOf(sources);
    Objects.requireNonNull(last, "last");
    Objects.requireNonNull(lastScrape, "lastScrape");
    if (failedScrapes < 0) {
      throw new IllegalArgumentException("failedScrapes must not be negative: " + failedScrapes);
    }
  }

  /**
   * A status without a count of failed scrapes (0), as before it was kept.
   *
   * @param target the target
   * @param state the state
   * @param reason the reason
   * @param sources the sources
   * @param last the last window
   * @param windows the count
   * @param lastScrape the last scrape's start
   */
  public TargetStatus(PipelineTarget target, State state, Optional<String> reason, List<String> sources,
      Optional<TargetWindow> last, long windows, Optional<Instant> lastScrape) {
    this(target, state, reason, sources, last, windows, lastScrape, 0);
  }

  /**
   * The target's name.
   *
   * @return the name
   */
  public String name() {
    return target.name();
  }

  /**
   * Whether the last scrape succeeded.
   *
   * @return true unless {@link State#DOWN}
   */
  public boolean up() {
    return state != State.DOWN;
  }
}
