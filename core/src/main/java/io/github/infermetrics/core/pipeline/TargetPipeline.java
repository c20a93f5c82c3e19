package io.github.infermetrics.core.pipeline;

import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiSource;
import io.github.infermetrics.core.kpi.KpiSources;
import io.github.infermetrics.core.kpi.KpiWindow;
import io.github.infermetrics.core.kpi.MeasureValue;
import io.github.infermetrics.core.kpi.Saturation;
import io.github.infermetrics.core.kpi.Slo;
import io.github.infermetrics.core.kpi.SloGoodput;
import io.github.infermetrics.core.scrape.ScrapeResult;
import io.github.infermetrics.core.snapshot.MetricFamily;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What one target needs between scrapes: its previous scrape, the sources it serves and its latest window. Feed it
 * every {@link ScrapeResult} of the target in order; from the second good scrape on, each one gives a
 * {@link TargetWindow}. {@link KpiPipeline} runs one per target; use it directly when you scrape yourself.
 *
 * <pre>{@code
 * TargetPipeline vllm = new TargetPipeline(PipelineTarget.of(uri), KpiSources.installed());
 * scheduler.schedule(vllm.target().scrape(), Duration.ofSeconds(15), r -> vllm.accept(r).ifPresent(w -> {
 *   w.kpiSets().forEach(emf::write);
 * }));
 * }</pre>
 *
 * <p>Sources named in the target are used as they are; otherwise they are detected ({@link KpiSources#detect})
 * from the first good scrape and again whenever a scrape's families (names and types) differ from those of the
 * scrape detected from, so a server that is upgraded or replaced is followed. Thread-safe.
 */
public final class TargetPipeline {
  private final PipelineTarget target;
  private final KpiSources installed;
  private final List<KpiSource> named;
  private final List<Slo> slos;
  private MetricSnapshot previous;
  private Instant previousStart;
  private TargetStatus.State state = TargetStatus.State.WAITING;
  private String reason;
  private List<String> sources = List.of();
  private List<KpiSource> sourcesOf;
  /** What detection found, and the families it was found in: detection is redone only when they change. */
  private List<KpiSource> detected = List.of();
  private List<MetricFamily> detectedIn;
  private TargetWindow last;
  private long windows;
  private long failedScrapes;
  private Instant lastScrape;

  /**
   * A pipeline for one target.
   *
   * @param target the target
   * @param installed the sources to detect from and to find named ones in
   * @throws IllegalArgumentException when the target names a source that is not installed
   */
  public TargetPipeline(PipelineTarget target, KpiSources installed) {
    this(target, installed, List.of());
  }

  /**
   * A pipeline for one target that also computes SLO goodput.
   *
   * @param target the target
   * @param installed the sources to detect from and to find named ones in
   * @param slos the objectives whose goodput each window gets ({@link SloGoodput})
   * @throws IllegalArgumentException when the target names a source that is not installed
   */
  public TargetPipeline(PipelineTarget target, KpiSources installed, List<Slo> slos) {
    this.slos = List.copyOf(slos);
    this.target = Objects.requireNonNull(target, "target");
    this.installed = Objects.requireNonNull(installed, "installed");
    List<KpiSource> n = new ArrayList<>();
    for (String s : target.sources()) {
      n.add(installed.require(s));
    }
    this.named = List.copyOf(n);
  }

  /**
   * The target.
   *
   * @return the target
   */
  public PipelineTarget target() {
    return target;
  }

  /**
   * Takes a scrape of the target: a failure marks it down; a success after an earlier one gives a window.
   *
   * @param r the scrape, later than the ones before
   * @return the new window, or empty when this scrape gave none
   */
  public synchronized Optional<TargetWindow> accept(ScrapeResult r) {
    Objects.requireNonNull(r, "result");
    lastScrape = r.start();
    if (!r.up()) {
      failedScrapes++;
      state = TargetStatus.State.DOWN;
      reason = (r.status() != 0 ? "HTTP " + r.status() + ", " : "")
          + r.error().kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + r.error().message();
      return Optional.empty();
    }
    MetricSnapshot current = r.snapshot();
    List<KpiSource> serving = named.isEmpty() ? detect(current) : named;
    if (serving != sourcesOf) {
      sources = serving.stream().map(KpiSource::name).toList();
      sourcesOf = serving;
    }
    if (serving.isEmpty()) {
      state = TargetStatus.State.UNRECOGNIZED;
      reason = "up, but no known source in its " + current.families().size() + " metric families (known: "
          + String.join(", ", installed.names()) + "); name the source (SOURCE=URL) if it is one of them";
      keep(current, r.start());
      return Optional.empty();
    }
    Optional<TargetWindow> out = Optional.empty();
    if (previous != null && r.start().isAfter(previousStart)) {
      Duration window = Duration.between(previousStart, r.start());
      List<KpiWindow> computed = new ArrayList<>();
      List<KpiSet> sets = new ArrayList<>();
      List<String> problems = new ArrayList<>();
      for (KpiSource s : serving) {
        try {
          KpiWindow w = s.between(previous, current, window);
          computed.add(w);
          sets.add(w.toKpiSet(target.name(), r.start()));
        } catch (IllegalArgumentException e) {
          problems.add(s.name() + ": " + e.getMessage());
        }
      }
      List<SourceWindow> done = derive(computed, sets);
      if (done.isEmpty()) {
        state = TargetStatus.State.DOWN;
        reason = String.join("; ", problems);
      } else {
        state = TargetStatus.State.UP;
        reason = null;
        last = new TargetWindow(target.name(), r.start(), window, done, problems);
        windows++;
        out = Optional.of(last);
      }
    } else if (state != TargetStatus.State.UP) {
      state = TargetStatus.State.WAITING;
      reason = null;
    }
    keep(current, r.start());
    return out;
  }

  private List<KpiSource> detect(MetricSnapshot current) {
    List<MetricFamily> families = current.families();
    if (detectedIn == null || !sameFamilies(detectedIn, families)) {
      detected = installed.detect(current);
      detectedIn = families;
    }
    return detected;
  }

  /**
   * Whether two scrapes have the same families in the same order. A target's scrapes share their name strings
   * ({@code SnapshotReader} reuses them), so this is mostly reference compares.
   */
  static boolean sameFamilies(List<MetricFamily> a, List<MetricFamily> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      MetricFamily x = a.get(i);
      MetricFamily y = b.get(i);
      if (x.type() != y.type() || !x.name().equals(y.name())) {
        return false;
      }
    }
    return true;
  }

  /** Each window with its goodput and saturation, which need every source's KPIs of the target. */
  private List<SourceWindow> derive(List<KpiWindow> windows, List<KpiSet> sets) {
    OptionalDouble accelerator = Saturation.accelerator(sets);
    List<SourceWindow> out = new ArrayList<>(windows.size());
    for (int i = 0; i < windows.size(); i++) {
      KpiWindow w = windows.get(i);
      KpiSet set = sets.get(i);
      List<MeasureValue> derived = new ArrayList<>(SloGoodput.of(slos, w));
      derived.addAll(Saturation.of(set, accelerator));
      if (!derived.isEmpty()) {
        KpiSet.Builder b = KpiSet.builder(set.source(), set.target(), set.at(), set.window());
        set.values().forEach(b::add);
        derived.forEach(b::add);
        set = b.dropped(set.dropped()).build();
      }
      out.add(new SourceWindow(w.source(), w, derived, set));
    }
    return out;
  }

  private void keep(MetricSnapshot snapshot, Instant start) {
    if (previousStart == null || start.isAfter(previousStart)) {
      previous = snapshot;
      previousStart = start;
    }
  }

  /**
   * The target's state now.
   *
   * @return an immutable copy
   */
  public synchronized TargetStatus status() {
    return new TargetStatus(target, state, Optional.ofNullable(reason), sources, Optional.ofNullable(last),
        windows, Optional.ofNullable(lastScrape), failedScrapes);
  }
}
