package io.github.infermetrics.core.pipeline;

import io.github.infermetrics.core.discovery.DiscoveredTarget;
import io.github.infermetrics.core.scrape.ScrapeTarget;
import io.github.infermetrics.core.snapshot.Labels;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One endpoint a {@link KpiPipeline} watches: how to scrape it, which sources it serves (or none, to detect them
 * from each scrape), and what else is known of it.
 *
 * <pre>{@code
 * PipelineTarget vllm = PipelineTarget.builder(URI.create("http://10.0.0.7:8000/metrics"))
 *     .name("qwen")                  // the target dimension; default host:port
 *     .source("vllm")                // optional: detected when left out
 *     .pod("serving/qwen-7d9f-abcde")  // optional: joins the GPUs of its pod
 *     .build();
 * }</pre>
 *
 * @param scrape how to scrape it; its {@link ScrapeTarget#name()} is the target's name
 * @param sources the names of the sources it serves; empty to detect them from each scrape
 * @param pod the Kubernetes pod serving it, {@code namespace/name}, when known
 * @param labels extra labels (for example from discovery)
 */
public record PipelineTarget(ScrapeTarget scrape, List<String> sources, Optional<String> pod, Labels labels) {
  /**
   * Validates and copies.
   *
   * @param scrape how to scrape it
   * @param sources source names, lower case
   * @param pod the pod, {@code namespace/name}
   * @param labels extra labels
   */
  public PipelineTarget {
    Objects.requireNonNull(scrape, "scrape");
    sources = List.copyOf(sources);
    for (String s : sources) {
      if (!s.equals(s.toLowerCase(Locale.ROOT)) || s.isBlank()) {
        throw new IllegalArgumentException("source names are lower case and not blank: '" + s + "'");
      }
    }
    Objects.requireNonNull(pod, "pod");
    pod.ifPresent(p -> {
      int slash = p.indexOf('/');
      if (slash <= 0 || slash == p.length() - 1 || p.indexOf('/', slash + 1) >= 0) {
        throw new IllegalArgumentException("pod must be namespace/name: '" + p + "'");
      }
    });
    Objects.requireNonNull(labels, "labels");
  }

  /**
   * A target scraped with default settings, its sources detected.
   *
   * @param uri the endpoint
   * @return the target, named host:port
   */
  public static PipelineTarget of(URI uri) {
    return builder(uri).build();
  }

  /**
   * Starts a target.
   *
   * @param uri the endpoint
   * @return a builder
   */
  public static Builder builder(URI uri) {
    return new Builder(ScrapeTarget.builder(uri));
  }

  /**
   * Starts a target from what discovery found: its URL, name, target labels, pod, and its sources when the target
   * names them ({@code infermetrics_source}, a comma-separated list); add a timeout and build.
   *
   * <pre>{@code
   * discovery.start(found -> pipeline.replaceTargets(
   *     found.stream().map(t -> PipelineTarget.builder(t).build()).toList()));
   * }</pre>
   *
   * @param discovered the discovered target
   * @return a builder
   */
  public static Builder builder(DiscoveredTarget discovered) {
    Builder b = builder(discovered.url()).name(discovered.name()).labels(discovered.labels());
    discovered.source().ifPresent(list -> {
      for (String one : list.split(",")) {
        if (!one.isBlank()) {
          b.source(one.strip());
        }
      }
    });
    discovered.pod().ifPresent(b::pod);
    return b;
  }

  /**
   * Starts a target from scrape settings built elsewhere.
   *
   * @param scrape the scrape settings
   * @return a builder
   */
  public static Builder builder(ScrapeTarget scrape) {
    return new Builder(scrape);
  }

  /**
   * The target's name, the {@code target} dimension of its KPIs.
   *
   * @return the name
   */
  public String name() {
    return scrape.name();
  }

  /**
   * The endpoint.
   *
   * @return the URI
   */
  public URI uri() {
    return scrape.uri();
  }

  /** Builds a {@link PipelineTarget}; not thread-safe. */
  public static final class Builder {
    private final ScrapeTarget.Builder scrapeBuilder;
    private final ScrapeTarget scrape;
    private final List<String> sources = new ArrayList<>();
    private Optional<String> pod = Optional.empty();
    private Labels labels = Labels.EMPTY;
    private String name;
    private java.time.Duration timeout;
    private java.util.function.Consumer<ScrapeTarget.Builder> settings;

    private Builder(ScrapeTarget.Builder b) {
      this.scrapeBuilder = b;
      this.scrape = null;
    }

    private Builder(ScrapeTarget scrape) {
      this.scrapeBuilder = null;
      this.scrape = Objects.requireNonNull(scrape, "scrape");
    }

    /**
     * Names the target.
     *
     * @param targetName the name; default host:port
     * @return this
     */
    public Builder name(String targetName) {
      this.name = Objects.requireNonNull(targetName, "name");
      return this;
    }

    /**
     * The time one scrape may take.
     *
     * @param scrapeTimeout positive
     * @return this
     */
    public Builder timeout(java.time.Duration scrapeTimeout) {
      this.timeout = Objects.requireNonNull(scrapeTimeout, "timeout");
      return this;
    }

    /**
     * The target's other scrape settings (limits, authentication, TLS, ...), for a target built from a URL or a
     * discovered target; applied before {@link #name} and {@link #timeout}.
     *
     * <pre>{@code
     * PipelineTarget.builder(uri).scrape(s -> s.sampleLimit(5_000_000).bodySizeLimit(256L << 20)).build();
     * }</pre>
     *
     * @param scrapeSettings sets what it needs on the target's {@link ScrapeTarget.Builder}
     * @return this
     */
    public Builder scrape(java.util.function.Consumer<ScrapeTarget.Builder> scrapeSettings) {
      this.settings = Objects.requireNonNull(scrapeSettings, "scrape");
      return this;
    }

    /**
     * Names a source the target serves (repeatable); without any, sources are detected.
     *
     * @param sourceName the source's name, for example {@code vllm}
     * @return this
     */
    public Builder source(String sourceName) {
      sources.add(Objects.requireNonNull(sourceName, "source").toLowerCase(Locale.ROOT));
      return this;
    }

    /**
     * The pod serving it.
     *
     * @param namespaceAndName {@code namespace/name}
     * @return this
     */
    public Builder pod(String namespaceAndName) {
      this.pod = Optional.of(namespaceAndName);
      return this;
    }

    /**
     * Extra labels.
     *
     * @param extra the labels
     * @return this
     */
    public Builder labels(Labels extra) {
      this.labels = Objects.requireNonNull(extra, "labels");
      return this;
    }

    /**
     * Builds it.
     *
     * @return the target
     */
    public PipelineTarget build() {
      ScrapeTarget s;
      if (scrape != null) {
        if (name != null || timeout != null || settings != null) {
          throw new IllegalStateException("name, timeout and scrape settings belong to the ScrapeTarget given to"
              + " builder()");
        }
        s = scrape;
      } else {
        if (settings != null) {
          settings.accept(scrapeBuilder);
        }
        if (name != null) {
          scrapeBuilder.name(name);
        }
        if (timeout != null) {
          scrapeBuilder.timeout(timeout);
        }
        s = scrapeBuilder.build();
      }
      return new PipelineTarget(s, sources, pod, labels);
    }
  }
}
