package io.github.infermetrics.cli;

import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.remotewrite.RemoteWriteSink;
import io.github.infermetrics.remotewrite.RequestSigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
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
   * @throws IllegalArgumentException when the URL, a header or a label is invalid
   * @throws UncheckedIOException when the bearer token file cannot be read
   */
  RemoteWriteOutput(String url, Map<String, String> headers, Path bearerTokenFile, Map<String, String> labels) {
    this.url = url;
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--remote-write: not a URL: " + url);
    }
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
    this.sink = b.build();
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
