package io.github.infermetrics.cli;

import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.remotewrite.AwsSigV4Signer;
import io.github.infermetrics.remotewrite.RemoteWriteSink;
import io.github.infermetrics.remotewrite.RemoteWriteStats;
import io.github.infermetrics.remotewrite.RequestSigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code --remote-write URL} output of {@code watch}: each window's KPIs through a {@link RemoteWriteSink}, with
 * the {@code --dimension}s as external labels. The sink is thread-safe and never blocks the scraper threads.
 */
final class RemoteWriteOutput implements AutoCloseable {
  private final String url;
  private final RemoteWriteSink sink;

  /**
   * Opens the sink.
   *
   * @param sigv4Region with {@code --remote-write-sigv4}: the region to sign for (service aps), else null
   * @throws IllegalArgumentException when the URL, a header, a label or the region is invalid
   * @throws UncheckedIOException when the bearer token file cannot be read
   * @throws AwsSetup.Missing when SigV4 is asked for and no AWS credentials are found
   */
  RemoteWriteOutput(String url, Map<String, String> headers, Path bearerTokenFile, String sigv4Region,
      Map<String, String> labels) throws AwsSetup.Missing {
    URI uri;
    try {
      uri = HttpUrl.parse(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--remote-write: " + e.getMessage());
    }
    this.url = uri.toString();
    RemoteWriteSink.Builder b = RemoteWriteSink.builder(uri);
    if (headers != null) {
      headers.forEach(b::header);
    }
    if (labels != null) {
      labels.forEach(b::externalLabel);
    }
    if (bearerTokenFile != null) {
      try {
        // read once, as Prometheus reads bearer_token_file
        b.signer(RequestSigner.bearer(Files.readString(bearerTokenFile, StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (sigv4Region != null) {
      AwsSigV4Signer.Builder signer;
      try {
        signer = AwsSigV4Signer.builder(sigv4Region);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--remote-write-sigv4: " + e.getMessage());
      }
      // looked up now, so that none found is one line at start, not a failed batch after each retry
      b.signer(signer.credentials(AwsSetup.credentials()).build());
    }
    this.sink = b.build();
  }

  /**
   * Samples that will never arrive: dropped on a full queue, refused or failed for good, or still unsent after
   * {@link #close()}.
   */
  long lost() {
    RemoteWriteStats s = sink.stats();
    return s.samplesDropped() + s.samplesFailed() + s.samplesPending();
  }

  void write(KpiSet set) {
    sink.write(set);
  }

  /** What happened, for the user. */
  String summary() {
    return "remote write: " + sink.stats().summary() + " to " + url;
  }

  /** Sends what is queued, for up to the sink's close timeout. */
  @Override
  public void close() {
    sink.close();
  }
}
