package io.github.infermetrics.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.skywalking.oap.server.library.util.prometheus.Parser;
import org.apache.skywalking.oap.server.library.util.prometheus.Parsers;
import org.hawkular.agent.prometheus.text.TextPrometheusMetricDataParser;

/**
 * The Java peers, driven the way their own processors drive them, counting what they produce.
 *
 * <p><b>What is counted</b>, the same way for both peers, so that the number is comparable with the sample lines
 * infermetrics reports: a counter or gauge metric is 1 sample; a summary metric is its quantiles + 1 for
 * {@code _count} + 1 for {@code _sum}; a histogram metric is its buckets + 1 for {@code _count} + 1 for
 * {@code _sum}. Both peers' histogram and summary objects always carry a count and a sum, whether or not the input
 * had them, and both key buckets and quantiles by bound, so a repeated bound is counted once. Both peers silently
 * drop samples that do not belong to a family announced by {@code # HELP} or {@code # TYPE} (so an exposition
 * without metadata yields nothing) and samples whose name does not fit the announced type (an OpenMetrics counter
 * {@code foo} with samples {@code foo_total}); {@link ParserBenchmark} prints what each peer kept, per input, at
 * the start of each trial.
 *
 * <ul>
 *   <li><b>Hawkular</b> ({@code org.hawkular.agent:prometheus-scraper:0.23.0.Final}, 2016):
 *       {@code new TextPrometheusMetricDataParser(in).parse()}, one {@code MetricFamily} per call, as
 *       {@code TextPrometheusMetricsProcessor.walk()} does (minus the walker callbacks). It reads the stream one
 *       byte at a time through {@link java.io.InputStream#read()}.
 *   <li><b>SkyWalking</b> ({@code org.apache.skywalking:library-util:10.1.0}, the OAP server's Prometheus
 *       fetcher parser): {@code Parsers.text(in).parse(now)}, one {@code MetricFamily} per call, over a
 *       {@code BufferedReader}. Histograms and summaries are grouped by their labels without {@code le} /
 *       {@code quantile}.
 * </ul>
 *
 * <p>Both return {@code null} both at the end and for a family whose samples they all dropped, so the loops
 * stop at a {@code null} only once the input has been read to its end ({@link DrainingInput}).
 */
final class Peers {
  private Peers() {}

  /**
   * Parses a whole exposition with Hawkular.
   *
   * @param bytes the exposition
   * @return the samples Hawkular produced, counted as described above
   */
  static int hawkular(byte[] bytes) {
    DrainingInput in = new DrainingInput(bytes);
    TextPrometheusMetricDataParser parser = new TextPrometheusMetricDataParser(in);
    int samples = 0;
    try {
      for (; ; ) {
        boolean ended = in.eof();
        org.hawkular.agent.prometheus.types.MetricFamily family = parser.parse();
        if (family != null) {
          samples += hawkularSamples(family);
        } else if (ended) {
          return samples;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int hawkularSamples(org.hawkular.agent.prometheus.types.MetricFamily family) {
    int samples = 0;
    for (org.hawkular.agent.prometheus.types.Metric metric : family.getMetrics()) {
      if (metric instanceof org.hawkular.agent.prometheus.types.Histogram h) {
        samples += h.getBuckets().size() + 2;
      } else if (metric instanceof org.hawkular.agent.prometheus.types.Summary s) {
        samples += s.getQuantiles().size() + 2;
      } else {
        samples++; // Counter or Gauge: one value
      }
    }
    return samples;
  }

  /**
   * Parses a whole exposition with SkyWalking.
   *
   * @param bytes the exposition
   * @param now the timestamp SkyWalking stamps on every metric
   * @return the samples SkyWalking produced, counted as described above
   */
  static int skywalking(byte[] bytes, long now) {
    DrainingInput in = new DrainingInput(bytes);
    Parser parser = Parsers.text(in);
    int samples = 0;
    try {
      for (; ; ) {
        boolean ended = in.eof();
        org.apache.skywalking.oap.server.library.util.prometheus.metrics.MetricFamily family = parser.parse(now);
        if (family != null) {
          samples += skywalkingSamples(family);
        } else if (ended) {
          return samples;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int skywalkingSamples(
      org.apache.skywalking.oap.server.library.util.prometheus.metrics.MetricFamily f) {
    int samples = 0;
    for (org.apache.skywalking.oap.server.library.util.prometheus.metrics.Metric metric : f.getMetrics()) {
      if (metric instanceof org.apache.skywalking.oap.server.library.util.prometheus.metrics.Histogram h) {
        samples += h.getBuckets().size() + 2;
      } else if (metric instanceof org.apache.skywalking.oap.server.library.util.prometheus.metrics.Summary s) {
        samples += s.getQuantiles().size() + 2;
      } else {
        samples++; // Counter or Gauge: one value
      }
    }
    return samples;
  }
}
