package io.github.infermetrics.core.kpi;

import io.github.infermetrics.core.snapshot.MetricSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * A set of {@link KpiSource}s by name: the ones installed on the class or module path, or ones you list. It picks
 * the sources of a scrape ({@link #detect}).
 *
 * <pre>{@code
 * KpiSources sources = KpiSources.installed();           // triton, vllm, neuron, ... whatever is on the path
 * List<KpiSource> found = sources.detect(snapshot);       // e.g. [triton, vllm] for Triton with its vLLM backend
 * KpiSource vllm = sources.require("vllm");
 * }</pre>
 *
 * <p>Immutable.
 */
public final class KpiSources {
  private final Map<String, KpiSource> byName;
  private final List<String> problems;

  private KpiSources(Map<String, KpiSource> byName, List<String> problems) {
    this.byName = byName;
    this.problems = List.copyOf(problems);
  }

  /**
   * The sources registered for {@link ServiceLoader} ({@code META-INF/services} on the class path,
   * {@code provides} on the module path), in name order. A provider that fails to load, or a second provider of
   * a name, is left out and reported in {@link #problems()}.
   *
   * @return the installed sources
   */
  public static KpiSources installed() {
    return load(ServiceLoader.load(KpiSource.class));
  }

  /**
   * The sources registered for {@link ServiceLoader} in a class loader (for plugins loaded at run time).
   *
   * @param loader the class loader
   * @return the sources
   */
  public static KpiSources installed(ClassLoader loader) {
    return load(ServiceLoader.load(KpiSource.class, loader));
  }

  private static KpiSources load(ServiceLoader<KpiSource> loader) {
    List<KpiSource> found = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Iterator<KpiSource> it = loader.iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        found.add(it.next());
      } catch (ServiceConfigurationError e) {
        problems.add(e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
      }
    }
    return build(found, problems);
  }

  /**
   * Exactly these sources.
   *
   * @param sources the sources; distinct names
   * @return the set
   * @throws IllegalArgumentException when two share a name
   */
  public static KpiSources of(List<? extends KpiSource> sources) {
    List<String> problems = new ArrayList<>();
    KpiSources s = build(List.copyOf(sources), problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(problems.get(0));
    }
    return s;
  }

  private static KpiSources build(List<KpiSource> sources, List<String> problems) {
    List<KpiSource> sorted = new ArrayList<>(sources);
    sorted.sort(Comparator.comparing(KpiSource::name));
    Map<String, KpiSource> byName = new LinkedHashMap<>();
    for (KpiSource s : sorted) {
      String name = s.name();
      if (name == null || !name.matches("[a-z][a-z0-9_-]*")) {
        problems.add("source " + s.getClass().getName() + " has no valid name (lower case, digits, - and _): '"
            + name + "'");
        continue;
      }
      KpiSource before = byName.putIfAbsent(name, s);
      if (before != null) {
        problems.add("two sources are named " + name + ": " + before.getClass().getName() + " and "
            + s.getClass().getName() + "; the first is used");
      }
    }
    return new KpiSources(byName, problems);
  }

  /**
   * Every source, in name order.
   *
   * @return the sources
   */
  public List<KpiSource> all() {
    return List.copyOf(byName.values());
  }

  /**
   * The names, in order.
   *
   * @return the names
   */
  public List<String> names() {
    return List.copyOf(byName.keySet());
  }

  /**
   * One source.
   *
   * @param name its name, any case
   * @return the source, or empty
   */
  public Optional<KpiSource> find(String name) {
    return Optional.ofNullable(byName.get(Objects.requireNonNull(name, "name").toLowerCase(Locale.ROOT)));
  }

  /**
   * One source, which must exist.
   *
   * @param name its name, any case
   * @return the source
   * @throws IllegalArgumentException naming the sources there are
   */
  public KpiSource require(String name) {
    return find(name).orElseThrow(() -> new IllegalArgumentException("no source named '" + name + "'; known: "
        + String.join(", ", names())));
  }

  /**
   * The sources that recognise a scrape ({@link KpiSource#recognize} at least {@link KpiSource#RECOGNIZED}), most
   * confident first, then by name. A scrape may have several: Triton with its vLLM backend, a Ray node with Serve
   * and Serve LLM's vLLM.
   *
   * @param snapshot the scrape
   * @return the sources; empty when none recognises it
   */
  public List<KpiSource> detect(MetricSnapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    List<KpiSource> out = new ArrayList<>();
    Map<KpiSource, Double> confidence = new LinkedHashMap<>();
    for (KpiSource s : byName.values()) {
      double c = s.recognize(snapshot);
      if (c >= KpiSource.RECOGNIZED) {
        out.add(s);
        confidence.put(s, c);
      }
    }
    out.sort(Comparator.comparing((KpiSource s) -> -confidence.get(s)).thenComparing(KpiSource::name));
    return out;
  }

  /**
   * Sources that could not be loaded, or were named twice, as one line each.
   *
   * @return the problems; empty when all loaded
   */
  public List<String> problems() {
    return problems;
  }

  @Override
  public String toString() {
    return "KpiSources" + names();
  }
}
