package io.github.infermetrics.spring;

import io.github.infermetrics.core.discovery.TargetDiscovery;
import io.github.infermetrics.core.pipeline.KpiPipeline;
import io.github.infermetrics.core.pipeline.TargetStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code infermetrics} health: whether the pipeline gets KPIs from its fleet.
 *
 * <ul>
 *   <li>{@code UP} when at least one target gave a window at its last scrape; other targets may be down, and are
 *       listed in the details: a partial outage is the fleet's, not this service's, and restarting or unrouting
 *       this service would not help.
 *   <li>{@code DOWN} when there are targets and none gives KPIs: every one is down (refused, timed out, an HTTP
 *       error) or exposes nothing a source recognises. The service is up but blind: wrong URLs, a network policy,
 *       the whole fleet gone.
 *   <li>{@code UNKNOWN} when there are no targets (discovery found none yet), or none is up and some still wait
 *       for their first window (a window needs two scrapes): Spring Boot's aggregate health ignores it.
 * </ul>
 *
 * <p>Details: the counts by state, each target (state, URL, the reason it is down, its sources, windows so far,
 * its last scrape; those not up first, at most {@value #MAX_TARGETS_LISTED}), and each discovery with its errors.
 */
final class InfermetricsHealthIndicator implements HealthIndicator {
  /** Details stay readable, and the health response small, for a fleet of thousands. */
  static final int MAX_TARGETS_LISTED = 100;

  private final KpiPipeline pipeline;
  private final Supplier<List<TargetDiscovery>> discoveries;

  InfermetricsHealthIndicator(KpiPipeline pipeline, Supplier<List<TargetDiscovery>> discoveries) {
    this.pipeline = pipeline;
    this.discoveries = discoveries;
  }

  @Override
  public Health health() {
    List<TargetStatus> all = pipeline.status();
    Map<TargetStatus.State, Integer> counts = new EnumMap<>(TargetStatus.State.class);
    for (TargetStatus.State s : TargetStatus.State.values()) {
      counts.put(s, 0);
    }
    for (TargetStatus s : all) {
      counts.merge(s.state(), 1, Integer::sum);
    }
    Status status;
    if (counts.get(TargetStatus.State.UP) > 0) {
      status = Status.UP;
    } else if (all.isEmpty() || counts.get(TargetStatus.State.WAITING) > 0) {
      status = Status.UNKNOWN;
    } else {
      status = Status.DOWN;
    }
    Health.Builder b = Health.status(status);
    for (Map.Entry<TargetStatus.State, Integer> c : counts.entrySet()) {
      b.withDetail(c.getKey().name().toLowerCase(Locale.ROOT), c.getValue());
    }
    List<TargetStatus> listed = new ArrayList<>(all);
    // the ones that need attention first; the order within a state stays the pipeline's
    listed.sort(Comparator.comparing(s -> s.state() == TargetStatus.State.UP));
    Map<String, Object> targets = new LinkedHashMap<>();
    for (TargetStatus s : listed.subList(0, Math.min(MAX_TARGETS_LISTED, listed.size()))) {
      targets.put(s.name(), details(s));
    }
    b.withDetail("targets", targets);
    if (listed.size() > MAX_TARGETS_LISTED) {
      b.withDetail("targetsNotListed", listed.size() - MAX_TARGETS_LISTED);
    }
    List<Map<String, Object>> found = new ArrayList<>();
    for (TargetDiscovery d : discoveries.get()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("description", d.description());
      m.put("targets", d.current().size());
      m.put("errors", d.errors());
      d.lastError().ifPresent(e -> m.put("lastError", e));
      found.add(m);
    }
    if (!found.isEmpty()) {
      b.withDetail("discovery", found);
    }
    return b.build();
  }

  private static Map<String, Object> details(TargetStatus s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state", s.state().name());
    m.put("url", s.target().uri().toString());
    s.reason().ifPresent(r -> m.put("reason", r));
    if (!s.sources().isEmpty()) {
      m.put("sources", s.sources());
    }
    m.put("windows", s.windows());
    s.lastScrape().ifPresent(t -> m.put("lastScrape", t.toString()));
    return m;
  }
}
