package io.github.infermetrics.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The agent sink against real TCP and UDP listeners on loopback that go away and come back. */
class AgentSinkTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  /** A TCP listener like the agent's: reads newline-delimited events from one connection at a time. */
  static final class TcpListener implements AutoCloseable {
    final ServerSocket server;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final List<Socket> connections = new ArrayList<>();
    final Thread thread;

    TcpListener(int port) throws IOException {
      server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(LOOPBACK, port));
      thread = new Thread(() -> {
        try {
          while (true) {
            Socket s = server.accept();
            synchronized (connections) {
              connections.add(s);
            }
            Thread reader = new Thread(() -> {
              try (BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                  StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  lines.add(line);
                }
              } catch (IOException closed) {
                // the test closed it
              }
            });
            reader.setDaemon(true);
            reader.start();
          }
        } catch (IOException closed) {
          // the test closed the server
        }
      });
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return server.getLocalPort();
    }

    List<String> take(int n) throws InterruptedException {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String line = lines.poll(10, TimeUnit.SECONDS);
        assertThat(line).as("line %d of %d", i + 1, n).isNotNull();
        out.add(line);
      }
      return out;
    }

    @Override
    public void close() throws IOException {
      server.close();
      synchronized (connections) {
        for (Socket s : connections) {
          s.close();
        }
      }
    }
  }

  private static void write(EmfWriter w, String run, int from, int to) {
    for (int i = from; i < to; i++) {
      w.begin(System.currentTimeMillis()).property("run", run).metric("seq", "Count", i).end();
    }
  }

  private static List<Integer> seqs(List<String> lines) {
    List<Integer> out = new ArrayList<>();
    for (String l : lines) {
      out.add(EmfCheck.valid(l.getBytes(StandardCharsets.UTF_8), EmfLimits.MAX_EVENT_BYTES).get("seq").asInt());
    }
    return out;
  }

  @Test
  void tcpReconnectsWhenTheAgentRestartsAndLosesNothing() throws Exception {
    TcpListener agent = new TcpListener(0);
    int port = agent.port();
    try (AgentSink sink = AgentSink.builder(URI.create("tcp://127.0.0.1:" + port))
        .backoff(Duration.ofMillis(10), Duration.ofMillis(100)).build()) {
      EmfWriter w = EmfWriter.builder("Inference").sink(sink).build();
      write(w, "a", 0, 100);
      assertThat(seqs(agent.take(100))).hasSize(100).startsWith(0, 1).endsWith(99);

      agent.close(); // the agent goes away: its connection and its port
      Thread.sleep(100);
      write(w, "b", 100, 200); // queued while the agent is down
      Thread.sleep(300);
      assertThat(sink.dropped()).isZero();

      try (TcpListener back = new TcpListener(port)) { // and comes back on the same port
        List<Integer> got = seqs(back.take(100));
        assertThat(got).containsExactlyElementsOf(java.util.stream.IntStream.range(100, 200).boxed().toList());
        write(w, "c", 200, 210);
        sink.flush();
        assertThat(seqs(back.take(10))).startsWith(200).endsWith(209);
        assertThat(sink.reconnects()).isGreaterThanOrEqualTo(1);
        assertThat(sink.delivered()).isEqualTo(210);
        assertThat(sink.dropped()).isZero();
      }
    }
  }

  @Test
  void aFullQueueDropsNewEventsAndCountsThem() throws Exception {
    // nothing listens on this port: every event waits in a 64 KiB queue
    int port = closedPort();
    AgentSink sink = AgentSink.builder(URI.create("tcp://127.0.0.1:" + port)).queueBytes(64 * 1024)
        .backoff(Duration.ofMillis(20), Duration.ofMillis(50)).flushTimeout(Duration.ofMillis(300)).build();
    byte[] event = new byte[1000];
    java.util.Arrays.fill(event, (byte) 'x');
    for (int i = 0; i < 200; i++) {
      sink.accept(event, 0, event.length, 0);
    }
    // the 65,536-byte queue holds 65 events of 1,000 + 4 bytes; the sender may already have moved one 64 KiB batch
    // of 65 (1,001 bytes each with the line feed) out of it to retry: 200 - 130 = 70 dropped, or 200 - 65 = 135
    assertThat(sink.dropped()).isBetween(70L, 135L);
    sink.close(); // the flush timeout passes with the agent still down: the rest is dropped too
    assertThat(sink.dropped()).isEqualTo(200);
    assertThat(sink.delivered()).isZero();
    sink.accept(event, 0, 10, 0);
    assertThat(sink.dropped()).isEqualTo(201);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
      return s.getLocalPort();
    }
  }

  @Test
  void closeWithNoAgentIsQuickAndCountsEveryEvent() throws Exception {
    // the defaults, as 'watch --once --emf tcp://127.0.0.1:1' uses them: a 10 s flush timeout, 2 s connect timeout
    AgentSink sink = AgentSink.builder(URI.create("tcp://127.0.0.1:" + closedPort())).build();
    EmfWriter w = EmfWriter.builder("Inference").sink(sink).build();
    write(w, "a", 0, 17);
    long start = System.nanoTime();
    sink.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(sink.delivered()).isZero();
    assertThat(sink.dropped()).isEqualTo(17);
    assertThat(sink.lastFailure()).isInstanceOf(java.net.ConnectException.class);
  }

  @Test
  void anAgentThatGoesAwayLeavesEveryEventCountedAtClose() throws Exception {
    TcpListener agent = new TcpListener(0);
    AgentSink sink = AgentSink.builder(URI.create("tcp://127.0.0.1:" + agent.port())).build();
    EmfWriter w = EmfWriter.builder("Inference").sink(sink).build();
    write(w, "a", 0, 10);
    assertThat(seqs(agent.take(10))).hasSize(10);
    agent.close(); // its connection and its port
    Thread.sleep(100);
    write(w, "b", 10, 25);
    long start = System.nanoTime();
    sink.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(sink.delivered()).isEqualTo(10);
    assertThat(sink.dropped()).isEqualTo(15);
    assertThat(agent.lines).isEmpty();
  }

  @Test
  void anAgentThatStopsReadingCannotHoldCloseOrHideEvents() throws Exception {
    // accepts the connection and never reads: the sender's write blocks once the socket buffers are full
    try (ServerSocket silent = new ServerSocket()) {
      silent.setReceiveBufferSize(4096);
      silent.bind(new InetSocketAddress(LOOPBACK, 0));
      List<Socket> held = new ArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            held.add(silent.accept());
          }
        } catch (IOException closed) {
          // the test ends
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      AgentSink sink = AgentSink.builder(URI.create("tcp://127.0.0.1:" + silent.getLocalPort()))
          .queueBytes(256 * 1024).flushTimeout(Duration.ofMillis(300)).build();
      byte[] event = new byte[8 * 1024];
      java.util.Arrays.fill(event, (byte) 'x');
      long accepted = 0;
      long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      long fullSince = 0;
      // until the queue has stayed full for half a second: the socket buffers are full, the sender's write blocks
      while (System.nanoTime() < until) {
        sink.accept(event, 0, event.length, 0);
        accepted++;
        if (sink.queuedBytes() < 256 * 1024 - 2 * (event.length + 4)) {
          fullSince = 0;
        } else if (fullSince == 0) {
          fullSince = System.nanoTime();
        } else if (System.nanoTime() - fullSince > Duration.ofMillis(500).toNanos()) {
          break;
        }
        Thread.sleep(0, 100_000);
      }
      assertThat(fullSince).as("the sender is blocked").isPositive();
      long start = System.nanoTime();
      sink.close();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      assertThat(sink.delivered() + sink.dropped()).isEqualTo(accepted);
      assertThat(sink.dropped()).isPositive();
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  void udpSendsOneDatagramPerEventAndSurvivesAnAbsentListener() throws Exception {
    DatagramSocket agent = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
    int port = agent.getLocalPort();
    agent.setSoTimeout(10_000);
    try (AgentSink sink = AgentSink.builder(URI.create("udp://127.0.0.1:" + port))
        .backoff(Duration.ofMillis(10), Duration.ofMillis(50)).build()) {
      EmfWriter w = EmfWriter.builder("Inference").sink(sink).build();
      write(w, "a", 0, 20);
      List<String> got = receive(agent, 20);
      assertThat(seqs(got)).startsWith(0).endsWith(19);

      agent.close(); // the listener goes away: datagrams are lost, some are reported by the kernel
      write(w, "b", 20, 40);
      sink.flush();
      long droppedWhileDown = sink.dropped();
      assertThat(sink.delivered() + droppedWhileDown).isEqualTo(40);

      DatagramSocket back = new DatagramSocket(null);
      back.setReuseAddress(true);
      back.bind(new InetSocketAddress(LOOPBACK, port));
      back.setSoTimeout(10_000);
      try (back) {
        write(w, "c", 40, 60);
        sink.flush();
        assertThat(seqs(receive(back, 20))).startsWith(40).endsWith(59);
      }
    }
  }

  private static List<String> receive(DatagramSocket socket, int n) throws IOException {
    List<String> out = new ArrayList<>();
    byte[] buf = new byte[AgentSink.MAX_DATAGRAM_BYTES];
    while (out.size() < n) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(p);
      } catch (SocketTimeoutException e) {
        throw new AssertionError("received " + out.size() + " of " + n + " datagrams", e);
      }
      String s = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
      assertThat(s).endsWith("\n");
      out.add(s.substring(0, s.length() - 1));
    }
    return out;
  }
}
