package io.github.infermetrics.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Where {@code watch --serve} listens: {@code PORT} is loopback ({@code 127.0.0.1:PORT}); any other address must be
 * written out ({@code 0.0.0.0:9100}, {@code [::]:9100}, {@code 10.0.0.7:9100}), so that the KPIs of a fleet are
 * never offered to the network by accident. {@code :9100}, which means every interface to many servers, is refused
 * for the same reason. Port 0 picks a free port.
 *
 * @param host the host as written, {@code 127.0.0.1} for a bare port; IPv6 without brackets
 * @param port 0 to 65535
 */
record ServeAddress(String host, int port) {
  /**
   * Reads {@code PORT}, {@code HOST:PORT} or {@code [IPV6]:PORT}.
   *
   * @param spec the option's value
   * @return the address
   * @throws IllegalArgumentException saying what is wrong, in one line
   */
  static ServeAddress parse(String spec) {
    String s = spec.trim();
    if (s.chars().allMatch(Character::isDigit) && !s.isEmpty()) {
      return new ServeAddress("127.0.0.1", port(spec, s));
    }
    String host;
    String port;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
        throw new IllegalArgumentException("--serve '" + spec + "': expected [IPV6]:PORT, for example [::1]:9100");
      }
      host = s.substring(1, close);
      port = s.substring(close + 2);
    } else {
      int colon = s.lastIndexOf(':');
      if (colon < 0 || s.indexOf(':') != colon) {
        throw new IllegalArgumentException("--serve '" + spec + "': expected PORT or HOST:PORT (IPv6 as [::1]:9100),"
            + " for example 9100 (loopback) or 0.0.0.0:9100 (every interface)");
      }
      host = s.substring(0, colon);
      port = s.substring(colon + 1);
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("--serve '" + spec + "': name the address to listen on: " + port
          + " or 127.0.0.1:" + port + " for loopback, 0.0.0.0:" + port + " for every interface");
    }
    return new ServeAddress(host, port(spec, port));
  }

  private static int port(String spec, String text) {
    try {
      int p = Integer.parseInt(text);
      if (p >= 0 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException("--serve '" + spec + "': the port must be a number from 0 to 65535 (0 picks a"
        + " free one), got '" + text + "'");
  }

  /**
   * The socket address, the host resolved.
   *
   * @return the address
   * @throws IllegalArgumentException when the host cannot be resolved
   */
  InetSocketAddress resolve() {
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--serve: unknown host '" + host + "'");
    }
  }
}
