package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** The command line of {@code watch --serve} and {@code --slo}: addresses, and one clear line for bad input. */
class WatchServeOptionsTest {
  @Test
  void aBarePortIsLoopbackAndAnyOtherAddressIsWrittenOut() {
    assertThat(ServeAddress.parse("9100")).isEqualTo(new ServeAddress("127.0.0.1", 9100));
    assertThat(ServeAddress.parse("0.0.0.0:9100")).isEqualTo(new ServeAddress("0.0.0.0", 9100));
    assertThat(ServeAddress.parse("localhost:0")).isEqualTo(new ServeAddress("localhost", 0));
    assertThat(ServeAddress.parse("[::1]:9100")).isEqualTo(new ServeAddress("::1", 9100));
    assertThat(ServeAddress.parse("9100").resolve().getAddress().isLoopbackAddress()).isTrue();
    assertThatThrownBy(() -> ServeAddress.parse(":9100")).hasMessage("--serve ':9100': name the address to listen"
        + " on: 9100 or 127.0.0.1:9100 for loopback, 0.0.0.0:9100 for every interface");
    assertThatThrownBy(() -> ServeAddress.parse("70000")).hasMessageContaining("from 0 to 65535");
    assertThatThrownBy(() -> ServeAddress.parse("host:http")).hasMessageContaining("got 'http'");
    assertThatThrownBy(() -> ServeAddress.parse("::1:9100")).hasMessageContaining("IPv6 as [::1]:9100");
    assertThatThrownBy(() -> ServeAddress.parse("[::1]9100")).hasMessageContaining("expected [IPV6]:PORT");
  }

  @Test
  void badOptionsAreUsageErrorsOfOneLine() {
    assertUsage(CliRun.of("watch", "--once", "--serve", "9100", "http://127.0.0.1:1/metrics"),
        "--serve keeps serving until stopped and --once exits after one window: give one of them");
    assertUsage(CliRun.of("watch", "--serve", ":9100", "http://127.0.0.1:1/metrics"),
        "--serve ':9100': name the address to listen on");
    assertUsage(CliRun.of("watch", "--slo", "ttft=fast", "http://127.0.0.1:1/metrics"),
        "--slo: SLO 'ttft=fast': not a duration: 'fast'");
    assertUsage(CliRun.of("watch", "--slo", "tbt=1s", "http://127.0.0.1:1/metrics"),
        "--slo: SLO 'tbt=1s': unknown latency 'tbt'; use ttft, itl (or tpot), e2e (or e2el) or queue");
    assertUsage(CliRun.of("watch", "--history", "50", "http://127.0.0.1:1/metrics"), "--history needs --serve");
    assertUsage(CliRun.of("watch", "--serve", "0", "--history", "1", "http://127.0.0.1:1/metrics"),
        "--history must be from 2 to 100000 windows: 1");
  }

  private static void assertUsage(CliRun r, String message) {
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err().lines().findFirst().orElse("")).startsWith(message);
    assertThat(r.err()).contains("try 'infermetrics watch --help'").hasLineCount(2);
  }

  @Test
  void aPortInUseEndsTheWatchWithTheReason() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CliRun r = CliRun.of("watch", "--serve", "127.0.0.1:" + taken.getLocalPort(), "http://127.0.0.1:1/metrics");
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).startsWith("--serve 127.0.0.1:" + taken.getLocalPort() + ": cannot listen: ")
          .containsIgnoringCase("in use");
    }
  }

  @Test
  void helpSaysLoopbackByDefaultAndHowToBindAnotherAddress() {
    String help = CliRun.of("watch", "--help").out().replaceAll("\\s+", " ");
    assertThat(help).contains("PORT alone listens on loopback only (127.0.0.1)")
        .contains("0.0.0.0:9100 for every interface").contains("--slo=LIST").contains("--serve=HOST:PORT")
        .contains("infermetrics watch --demo --slo ttft=500ms,e2e=20s --serve 9100");
  }
}
