package io.github.infermetrics.core.scrape;

import javax.net.ssl.SSLContext;

/**
 * Where a connection goes: scheme, host and port, and for {@code https} the TLS context that checked the server, so
 * that a connection trusted under one context is never handed to a target that trusts another.
 *
 * @param https whether TLS
 * @param host the host as the URI has it ({@code [::1]} for an IPv6 literal)
 * @param port the port, the scheme's default filled in
 * @param tls the TLS context, {@code null} for plain HTTP
 */
record ConnectionKey(boolean https, String host, int port, SSLContext tls) {
  /** The key of a URI's endpoint; the TLS context is only kept for https. */
  static ConnectionKey of(java.net.URI uri, SSLContext tls) {
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    int port = uri.getPort() != -1 ? uri.getPort() : https ? 443 : 80;
    return new ConnectionKey(https, uri.getHost(), port, https ? tls : null);
  }

  /** {@code host:port}, for messages. */
  String authority() {
    return host + ":" + port;
  }

  /** The host without the brackets of an IPv6 literal: what name resolution and TLS take. */
  String bareHost() {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}
