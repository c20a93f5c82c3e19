package io.github.infermetrics.cli.simulate;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;

/** Creates the simulators' JDK HTTP servers. */
final class LoopbackHttp {
  static {
    // Without TCP_NODELAY a token chunk written while the previous write is unacknowledged waits for the client's
    // delayed ACK (up to 40 ms), which would distort the TTFT and ITL that clients see. The JDK server reads this
    // property once, when its first server is created in the JVM; it is set here, before the simulators' first.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private LoopbackHttp() {}

  static HttpServer create(String host, int port) throws IOException {
    return HttpServer.create(new InetSocketAddress(host, port), 128);
  }
}
