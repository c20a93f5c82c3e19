package io.github.infermetrics.cli.simulate;

import io.github.infermetrics.core.exposition.ExpositionFormat;
import io.github.infermetrics.core.exposition.ExpositionParser;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.SnapshotReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** Plain HTTP calls and a strict read of an exposition, for the simulator tests. */
final class Http {
  private Http() {}

  /** A response: status, Content-Type and body. */
  record Response(int status, String contentType, String body) {}

  static Response get(URI uri) throws IOException {
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
    c.setConnectTimeout(5000);
    c.setReadTimeout(10000);
    return response(c);
  }

  static Response post(URI uri, String json) throws IOException {
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
    c.setConnectTimeout(5000);
    c.setReadTimeout(10000);
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setRequestProperty("Content-Type", "application/json");
    try (OutputStream out = c.getOutputStream()) {
      out.write(json.getBytes(StandardCharsets.UTF_8));
    }
    return response(c);
  }

  private static Response response(HttpURLConnection c) throws IOException {
    int status = c.getResponseCode();
    InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
    String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    return new Response(status, c.getContentType(), body);
  }

  /** Reads Prometheus text with the parser in strict mode: what expfmt rejects fails here. */
  static MetricSnapshot strict(String exposition) {
    SnapshotReader reader = new SnapshotReader(ExpositionParser.builder().format(ExpositionFormat.PROMETHEUS_TEXT)
        .strict(true).build());
    return reader.read(exposition.getBytes(StandardCharsets.UTF_8));
  }
}
