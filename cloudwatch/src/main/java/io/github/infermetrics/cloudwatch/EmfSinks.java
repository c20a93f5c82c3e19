package io.github.infermetrics.cloudwatch;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sinks of this package by name, for command lines and configuration files.
 *
 * <pre>{@code
 * EmfSink sink = EmfSinks.parse("tcp://127.0.0.1:25888");   // the CloudWatch agent
 * EmfSinks.parse("stdout");                                 // Lambda, Fluent Bit
 * EmfSinks.parse("/var/log/app/emf.log");                   // a file, appended
 * }</pre>
 *
 * @since 0.1.0
 */
public final class EmfSinks {
  private EmfSinks() {}

  /**
   * A sink from its spec: {@code stdout}, {@code tcp://HOST:PORT} or {@code udp://HOST:PORT} (the CloudWatch
   * agent, see {@link AgentSink}), and anything else is a file path, appended to, one event per line (see
   * {@link StreamSink#file(Path)}).
   *
   * @param spec the spec
   * @return a new sink; close it when done
   * @throws IllegalArgumentException when the spec is empty, names another URI scheme, or has a bad host or port
   * @throws java.io.UncheckedIOException when the file cannot be opened
   */
  public static EmfSink parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("EMF sink: empty; expected stdout, tcp://HOST:PORT, udp://HOST:PORT or a"
          + " file path");
    }
    String s = spec.strip();
    if (s.equals("stdout") || s.equals("-")) {
      return StreamSink.stdout();
    }
    int scheme = s.indexOf("://");
    if (scheme > 0) {
      String name = s.substring(0, scheme).toLowerCase(Locale.ROOT);
      if (!name.equals("tcp") && !name.equals("udp")) {
        throw new IllegalArgumentException("EMF sink " + spec + ": unknown scheme " + name
            + "; expected stdout, tcp://HOST:PORT, udp://HOST:PORT or a file path");
      }
      URI uri;
      try {
        uri = new URI(s);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("EMF sink " + spec + ": " + e.getMessage(), e);
      }
      try {
        return AgentSink.builder(uri).build();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("EMF sink " + spec + ": expected " + name + "://HOST:PORT with a port"
            + " from 1 to 65535", e);
      }
    }
    Path path;
    try {
      path = Path.of(s);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("EMF sink " + spec + ": not a file path: " + e.getMessage(), e);
    }
    return StreamSink.file(path);
  }

  /**
   * A sink that keeps nothing and only counts events (benchmarks, dry runs).
   *
   * @return a new sink
   */
  public static EmfSink discard() {
    return new EmfSink() {
      private final AtomicLong events = new AtomicLong();

      @Override
      public void accept(byte[] event, int offset, int length, long timestampMillis) {
        events.incrementAndGet();
      }

      @Override
      public void flush() {}

      @Override
      public long dropped() {
        return 0;
      }

      @Override
      public void close() {}

      @Override
      public String toString() {
        return "discard[" + events + " events]";
      }
    };
  }
}
