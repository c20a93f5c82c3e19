package io.github.infermetrics.cloudwatch.aws.internal;

import io.github.infermetrics.cloudwatch.aws.CloudWatchDatum;
import io.github.infermetrics.core.snapshot.Labels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * Turns buffered datums into {@code PutMetricData} requests' worth of SDK {@link MetricDatum}s.
 *
 * <p>Datums of the same metric (name, unit, dimensions, resolution) in the same storage period (the same minute, or
 * the same second for high resolution) become one datum with {@code Values} and {@code Counts}: CloudWatch would put
 * them in the same period anyway, so every statistic, percentiles included, stays the same, and the request carries
 * fewer datums. A datum holds at most {@code maxValues} distinct values; more go into another datum. The aggregated
 * datum takes the earliest timestamp of its values.
 *
 * <p>A batch holds at most {@code maxDatums} datums, and its CBOR body, estimated from above, at most
 * {@code maxBytes}.
 *
 * <p>Not thread-safe; the publisher's sender thread owns it.
 */
public final class DatumBatcher {
  /** Request overhead: the outer map, {@code Namespace} and {@code MetricData} keys and headers, and slack. */
  private static final int REQUEST_OVERHEAD = 64;

  private final int maxDatums;
  private final long maxBytes;
  private final int maxValues;

  /**
   * A batcher.
   *
   * @param maxDatums the most datums per request
   * @param maxBytes the largest estimated request body
   * @param maxValues the most distinct values per datum
   */
  public DatumBatcher(int maxDatums, long maxBytes, int maxValues) {
    this.maxDatums = maxDatums;
    this.maxBytes = maxBytes;
    this.maxValues = maxValues;
  }

  /**
   * One request's datums.
   *
   * @param data the SDK datums
   * @param sourceDatums how many published datums they carry (values times counts)
   * @param estimatedBytes an upper bound of the request body before compression
   */
  public record DatumBatch(List<MetricDatum> data, int sourceDatums, long estimatedBytes) {}

  private record Key(String name, String unit, Labels dimensions, int resolution, long period) {}

  /** Distinct values and their counts for one metric and period; chunks of at most maxValues. */
  private static final class Group {
    final Key key;
    Instant earliest;
    final List<LinkedHashMap<Double, long[]>> chunks = new ArrayList<>();

    Group(Key key, Instant first) {
      this.key = key;
      this.earliest = first;
      chunks.add(new LinkedHashMap<>());
    }
  }

  /**
   * Aggregates and cuts.
   *
   * @param datums the datums, in the order they were published
   * @param namespace the namespace, counted in the request size
   * @return the batches, in order
   */
  public List<DatumBatch> batches(List<CloudWatchDatum> datums, String namespace) {
    Map<Key, Group> groups = new LinkedHashMap<>();
    for (CloudWatchDatum d : datums) {
      long periodMillis = d.storageResolution() * 1000L;
      Key key = new Key(d.name(), d.unit(), d.dimensions(), d.storageResolution(),
          Math.floorDiv(d.timestamp().toEpochMilli(), periodMillis));
      Group g = groups.computeIfAbsent(key, k -> new Group(k, d.timestamp()));
      if (d.timestamp().isBefore(g.earliest)) {
        g.earliest = d.timestamp();
      }
      Double v = d.value() + 0.0; // -0.0 and 0.0 are one value
      LinkedHashMap<Double, long[]> holder = null;
      for (LinkedHashMap<Double, long[]> c : g.chunks) {
        if (c.containsKey(v)) {
          holder = c;
          break;
        }
      }
      if (holder == null) {
        holder = g.chunks.get(g.chunks.size() - 1);
        if (holder.size() >= maxValues) {
          holder = new LinkedHashMap<>();
          g.chunks.add(holder);
        }
        holder.put(v, new long[1]);
      }
      holder.get(v)[0]++;
    }

    long requestOverhead = REQUEST_OVERHEAD + utf8Length(namespace);
    List<DatumBatch> out = new ArrayList<>();
    List<MetricDatum> current = new ArrayList<>();
    int currentSources = 0;
    long currentBytes = requestOverhead;
    for (Group g : groups.values()) {
      for (LinkedHashMap<Double, long[]> chunk : g.chunks) {
        long bytes = estimateBytes(g.key, chunk.size());
        if (!current.isEmpty() && (current.size() >= maxDatums || currentBytes + bytes > maxBytes)) {
          out.add(new DatumBatch(List.copyOf(current), currentSources, currentBytes));
          current.clear();
          currentSources = 0;
          currentBytes = requestOverhead;
        }
        int sources = 0;
        for (long[] c : chunk.values()) {
          sources += (int) c[0];
        }
        current.add(toSdk(g, chunk));
        currentSources += sources;
        currentBytes += bytes;
      }
    }
    if (!current.isEmpty()) {
      out.add(new DatumBatch(List.copyOf(current), currentSources, currentBytes));
    }
    return out;
  }

  private static MetricDatum toSdk(Group g, LinkedHashMap<Double, long[]> chunk) {
    Key k = g.key;
    List<Dimension> dims = new ArrayList<>(k.dimensions().size());
    for (int i = 0; i < k.dimensions().size(); i++) {
      dims.add(Dimension.builder().name(k.dimensions().name(i)).value(k.dimensions().value(i)).build());
    }
    MetricDatum.Builder b = MetricDatum.builder()
        .metricName(k.name())
        .unit(StandardUnit.fromValue(k.unit()))
        .dimensions(dims)
        .timestamp(g.earliest)
        .storageResolution(k.resolution());
    if (chunk.size() == 1 && chunk.values().iterator().next()[0] == 1) {
      return b.value(chunk.keySet().iterator().next()).build();
    }
    List<Double> values = new ArrayList<>(chunk.size());
    List<Double> counts = new ArrayList<>(chunk.size());
    for (Map.Entry<Double, long[]> e : chunk.entrySet()) {
      values.add(e.getKey());
      counts.add((double) e.getValue()[0]);
    }
    return b.values(values).counts(counts).build();
  }

  /**
   * An upper bound of one datum's size in CBOR: each key as a text string, each string with a 3-byte header, each
   * number as a 9-byte float64, the timestamp with its tag, and a few bytes of slack.
   */
  static long estimateBytes(Key k, int distinctValues) {
    long bytes = 2 + 16;
    bytes += 11 + 3 + utf8Length(k.name()); // MetricName
    bytes += 5 + 3 + k.unit().length(); // Unit
    bytes += 10 + 10; // Timestamp: key, tag 1 and a float64
    bytes += 18 + 9; // StorageResolution
    bytes += 11 + 3; // Dimensions
    for (int i = 0; i < k.dimensions().size(); i++) {
      bytes += 2 + 5 + 3 + utf8Length(k.dimensions().name(i)) + 6 + 3 + utf8Length(k.dimensions().value(i));
    }
    if (distinctValues == 1) {
      bytes += 6 + 9 + 7 + 3 + 9 + 7 + 3 + 9; // Value, or Values and Counts of one value each
    } else {
      bytes += 2 * (7 + 3 + 9L * distinctValues); // Values and Counts
    }
    return bytes;
  }

  /** Exposed to the estimate test: the bound for one datum. */
  static long estimateBytes(CloudWatchDatum d, int distinctValues) {
    return estimateBytes(new Key(d.name(), d.unit(), d.dimensions(), d.storageResolution(), 0), distinctValues);
  }

  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
