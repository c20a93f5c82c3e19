package io.github.infermetrics.core.scrape;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Idle keep-alive connections by endpoint, as Prometheus keeps one open per target between scrapes. Bounded: at most
 * {@value #MAX_IDLE_PER_KEY} per endpoint and {@value #MAX_IDLE} in all, each closed after
 * {@link #IDLE_TIMEOUT_NANOS} unused (Prometheus's idle timeout, 5 minutes, longer than any scrape interval worth
 * keeping a connection for). Thread-safe.
 */
final class ConnectionPool {
  static final int MAX_IDLE_PER_KEY = 8;
  static final int MAX_IDLE = 20_000;
  static final long IDLE_TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(5);

  private final Map<ConnectionKey, ArrayDeque<HttpConnection>> idle = new ConcurrentHashMap<>();
  private int idleCount;
  private boolean closed;

  /** The most recently used idle connection to the endpoint that is still fresh, or null. */
  HttpConnection take(ConnectionKey key) {
    ArrayDeque<HttpConnection> q = idle.get(key);
    if (q == null) {
      return null;
    }
    long now = System.nanoTime();
    List<HttpConnection> stale = null;
    HttpConnection found = null;
    synchronized (this) {
      while (found == null && !q.isEmpty()) {
        HttpConnection c = q.pollFirst();
        idleCount--;
        if (now - c.idleSince < IDLE_TIMEOUT_NANOS && c.isOpen()) {
          found = c;
        } else {
          if (stale == null) {
            stale = new ArrayList<>(2);
          }
          stale.add(c);
        }
      }
    }
    if (stale != null) {
      stale.forEach(HttpConnection::close);
    }
    return found;
  }

  /** Keeps a connection whose last exchange ended cleanly; closes it when the pool is full or closed. */
  void give(HttpConnection c) {
    c.idleSince = System.nanoTime();
    HttpConnection evicted = null;
    boolean kept = false;
    ArrayDeque<HttpConnection> q = idle.computeIfAbsent(c.key, k -> new ArrayDeque<>(2));
    synchronized (this) {
      if (!closed && idleCount < MAX_IDLE) {
        if (q.size() >= MAX_IDLE_PER_KEY) {
          evicted = q.pollLast(); // the least recently used of this endpoint
          idleCount--;
        }
        q.addFirst(c);
        idleCount++;
        kept = true;
      }
    }
    if (evicted != null) {
      evicted.close();
    }
    if (!kept) {
      c.close();
    }
  }

  /** Closes every idle connection; later ones given back are closed. */
  void close() {
    List<HttpConnection> all = new ArrayList<>();
    synchronized (this) {
      closed = true;
      for (ArrayDeque<HttpConnection> q : idle.values()) {
        all.addAll(q);
        q.clear();
      }
      idleCount = 0;
    }
    all.forEach(HttpConnection::close);
  }
}
