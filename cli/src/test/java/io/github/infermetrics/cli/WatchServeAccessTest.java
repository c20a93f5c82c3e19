package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.testing.SelfSignedKeyStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code watch --serve} over TLS with a key store made by the JDK's keytool, and with basic authentication: a client
 * that trusts the certificate and sends the credentials reads /metrics; one without them gets 401; bad files are one
 * line naming the option and the file.
 */
class WatchServeAccessTest {
  private static final String DOWN = "http://127.0.0.1:1/metrics";

  @TempDir
  static Path dir;
  private static Path keyStore;
  private static Path password;
  private static Path users;
  private static Path caFile;
  private static HttpClient client;

  @BeforeAll
  static void makeKeyStoreAndCredentials() throws Exception {
    SelfSignedKeyStore keys = SelfSignedKeyStore.create(dir.resolve("serve.p12"), "serve", "s3cret-store");
    keyStore = keys.file();
    password = Files.writeString(dir.resolve("password.txt"), "s3cret-store\n");
    users = Files.writeString(dir.resolve("users.txt"), "prometheus:s3cret-pass\n\nkeda:other-s3cret:with-colon\n");

    // the client trusts the certificate alone, as a CA bundle would
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("serve", keys.certificate());
    caFile = Files.writeString(dir.resolve("ca.crt"), keys.pem(), StandardCharsets.US_ASCII);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
  }

  @Test
  void overTlsOnlyTheConfiguredUserReadsTheKpis() throws Exception {
    try (ServedWatch w = ServedWatch.start("watch", "--interval", "1s", "--serve", "127.0.0.1:0",
        "--serve-tls-keystore", keyStore.toString(), "--serve-tls-password-file", password.toString(),
        "--serve-basic-auth-file", users.toString(), DOWN)) {
      assertThat(w.uri().getScheme()).isEqualTo("https");
      HttpResponse<String> none = get(w.uri().resolve("/metrics"), null);
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"infermetrics\","
          + " charset=\"UTF-8\"");
      assertThat(get(w.uri().resolve("/metrics"), basic("prometheus:wrong")).statusCode()).isEqualTo(401);
      HttpResponse<String> ok = get(w.uri().resolve("/metrics"), basic("prometheus:s3cret-pass"));
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).contains("# TYPE");
      assertThat(get(w.uri().resolve("/api/kpis"), basic("keda:other-s3cret:with-colon")).statusCode())
          .isEqualTo(200);
      assertThat(get(w.uri().resolve("/api/kpis"), basic("keda:s3cret-pass")).statusCode()).isEqualTo(401);
      assertThat(w.err()).doesNotContain("s3cret");
    }
  }

  /** A real Prometheus scrapes it over HTTPS with basic_auth, and is refused without. Skips without Prometheus. */
  @Test
  void prometheusScrapesItWithBasicAuthOverTls(@TempDir Path work) throws Exception {
    PrometheusServer.binary(); // skips when absent
    try (ServedWatch w = ServedWatch.start("watch", "--interval", "1s", "--serve", "127.0.0.1:0",
        "--serve-tls-keystore", keyStore.toString(), "--serve-tls-password-file", password.toString(),
        "--serve-basic-auth-file", users.toString(), DOWN)) {
      String target = "127.0.0.1:" + w.uri().getPort();
      String tls = "    scheme: https\n"
          + "    tls_config:\n"
          + "      ca_file: " + caFile + "\n";
      String jobs = "  - job_name: secure\n" + tls
          + "    basic_auth:\n"
          + "      username: prometheus\n"
          + "      password: s3cret-pass\n"
          + "    static_configs:\n"
          + "      - targets: ['" + target + "']\n"
          + "  - job_name: anonymous\n" + tls
          + "    static_configs:\n"
          + "      - targets: ['" + target + "']\n";
      try (PrometheusServer prometheus = PrometheusServer.start(work, jobs)) {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String secure = "";
        String anonymous = "";
        while (System.nanoTime() < end && !(secure.equals("up") && anonymous.contains("401"))) {
          for (var t : prometheus.targets()) {
            String job = t.get("labels").get("job").asText();
            if (job.equals("secure")) {
              secure = t.get("health").asText();
            } else {
              anonymous = t.get("lastError").asText();
            }
          }
          Thread.sleep(250);
        }
        assertThat(secure).as(prometheus.targets().toString()).isEqualTo("up");
        assertThat(anonymous).as(prometheus.targets().toString()).contains("401");
        assertThat(prometheus.query("infermetrics_target_up{job=\"secure\"}")).isNotEmpty();
      }
    }
  }

  @Test
  void tlsAloneServesEveryone() throws Exception {
    try (ServedWatch w = ServedWatch.start("watch", "--interval", "1s", "--serve", "127.0.0.1:0",
        "--serve-tls-keystore", keyStore.toString(), "--serve-tls-password-file", password.toString(), DOWN)) {
      assertThat(get(w.uri().resolve("/metrics"), null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void badFilesAndOptionsAreOneLineNamingTheOptionAndTheFile() throws IOException {
    Path missing = dir.resolve("missing.p12");
    CliRun r = CliRun.of("watch", "--serve", "0", "--serve-tls-keystore", missing.toString(), DOWN);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("--serve-tls-keystore " + missing + ": no such file\n");

    Path wrong = Files.writeString(dir.resolve("wrong.txt"), "not-it\n");
    r = CliRun.of("watch", "--serve", "0", "--serve-tls-keystore", keyStore.toString(), "--serve-tls-password-file",
        wrong.toString(), DOWN);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("--serve-tls-keystore " + keyStore + ": wrong password").hasLineCount(1);

    Path notAStore = Files.writeString(dir.resolve("not-a-store.p12"), "hello\n");
    r = CliRun.of("watch", "--serve", "0", "--serve-tls-keystore", notAStore.toString(), "--serve-tls-password-file",
        password.toString(), DOWN);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("--serve-tls-keystore " + notAStore + ": ").hasLineCount(1);

    Path noColon = Files.writeString(dir.resolve("no-colon.txt"), "prometheus:pass\nkeda\n");
    r = CliRun.of("watch", "--serve", "0", "--serve-basic-auth-file", noColon.toString(), DOWN);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("--serve-basic-auth-file " + noColon + ": line 2: not USER:PASSWORD (a line per"
        + " user)\n");
    Path blank = Files.writeString(dir.resolve("blank.txt"), "\n \n");
    r = CliRun.of("watch", "--serve", "0", "--serve-basic-auth-file", blank.toString(), DOWN);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("--serve-basic-auth-file " + blank + ": is empty: a line USER:PASSWORD per user\n");

    r = CliRun.of("watch", "--serve-basic-auth-file", users.toString(), DOWN);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("--serve-basic-auth-file needs --serve");
    r = CliRun.of("watch", "--serve", "0", "--serve-tls-password-file", password.toString(), DOWN);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("--serve-tls-password-file needs --serve-tls-keystore FILE");
  }

  private static String basic(String userAndPassword) {
    return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
  }

  private static HttpResponse<String> get(URI uri, String authorization) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
