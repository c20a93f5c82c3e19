package io.github.infermetrics.core.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.github.infermetrics.core.testing.SelfSignedKeyStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS with a self-signed certificate made at test time, trusted through a trust store file. */
class TlsScrapeTest {
  private static final char[] PASSWORD = "changeit".toCharArray();

  @TempDir
  static Path dir;
  private static Path trustStore;
  private static Path pem;
  private static LoopbackHttp https;
  private static LoopbackHttp plain;

  @BeforeAll
  static void startHttpsServer() throws Exception {
    SelfSignedKeyStore keys = SelfSignedKeyStore.create(dir.resolve("server.p12"), "server", "changeit");

    // the client's trust store holds only the certificate, as a CA bundle would
    KeyStore server = keys.keyStore();
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", keys.certificate());
    pem = dir.resolve("ca.crt");
    Files.writeString(pem, "# a CA bundle\n" + keys.pem(), StandardCharsets.US_ASCII);
    trustStore = dir.resolve("trust.p12");
    try (OutputStream out = Files.newOutputStream(trustStore)) {
      trust.store(out, PASSWORD);
    }

    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(server, PASSWORD);
    SSLContext serverContext = SSLContext.getInstance("TLS");
    serverContext.init(kmf.getKeyManagers(), null, null);
    HttpsServer httpsServer = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    httpsServer.setHttpsConfigurator(new HttpsConfigurator(serverContext));
    https = new LoopbackHttp(httpsServer);
    plain = new LoopbackHttp();
    plain.handle("/metrics", ex -> LoopbackHttp.respond(ex, 200, ScraperTest.TEXT_TYPE, ScraperTest.TEXT));
    https.handle("/metrics", ex -> LoopbackHttp.respond(ex, 200, ScraperTest.TEXT_TYPE, ScraperTest.TEXT));
    https.handle("/downgrade", ex -> ScraperTest.redirect(ex, plain.uri("/metrics").toString()));
  }

  @AfterAll
  static void stopServers() {
    https.close();
    plain.close();
  }

  @Test
  void selfSignedCertificateIsTrustedThroughTheTrustStoreFile() throws Exception {
    SSLContext ca = TrustStore.sslContext(trustStore, PASSWORD);
    try (Scraper scraper = Scraper.create()) {
      ScrapeTarget a = ScrapeTarget.builder(https.uri("/metrics")).sslContext(ca).build();
      ScrapeTarget b = ScrapeTarget.builder(https.uri("/metrics")).sslContext(ca).build();

      List<ScrapeResult> results = List.of(scraper.scrape(a), scraper.scrape(b));

      assertThat(results).allSatisfy(r -> {
        assertThat(r.error()).isNull();
        assertThat(r.snapshot().family("nv_inference_request_success")).isPresent();
      });
    }
  }

  @Test
  void scraperWideTrustAppliesToTargetsWithoutTheirOwn() throws Exception {
    try (Scraper scraper = Scraper.builder().sslContext(TrustStore.sslContext(trustStore, PASSWORD)).build()) {
      assertThat(scraper.scrape(ScrapeTarget.builder(https.uri("/metrics")).build()).up()).isTrue();
    }
  }

  @Test
  void untrustedCertificateIsATlsError() {
    try (Scraper scraper = Scraper.create()) {
      ScrapeResult r = scraper.scrape(ScrapeTarget.builder(https.uri("/metrics")).build());

      assertThat(r.error().kind()).isEqualTo(ScrapeError.Kind.TLS);
      assertThat(r.error().message()).contains("127.0.0.1:" + https.port());
    }
  }

  @Test
  void redirectFromHttpsToHttpIsRefused() throws Exception {
    try (Scraper scraper = Scraper.create()) {
      ScrapeResult r = scraper.scrape(ScrapeTarget.builder(https.uri("/downgrade"))
          .sslContext(TrustStore.sslContext(trustStore, PASSWORD)).build());

      assertThat(r.error().kind()).isEqualTo(ScrapeError.Kind.HTTP_STATUS);
      assertThat(r.error().message()).contains("from https to http refused");
      assertThat(r.status()).isEqualTo(302);
    }
  }

  @Test
  void certificateInAPemFileIsTrusted() throws Exception {
    try (Scraper scraper = Scraper.create()) {
      ScrapeResult r = scraper.scrape(ScrapeTarget.builder(https.uri("/metrics")).sslContext(TrustStore.fromPem(pem))
          .build());

      assertThat(r.error()).isNull();
      assertThat(r.up()).isTrue();
    }
  }

  @Test
  void pemFileWithoutACertificateIsRefusedNamingTheFile() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.crt"), "nothing here\n");

    assertThatThrownBy(() -> TrustStore.fromPem(empty)).isInstanceOf(java.security.cert.CertificateException.class)
        .hasMessageContaining("empty.crt");
  }

  @Test
  void trustStoreWithAWrongPasswordFailsToLoad() {
    assertThatThrownBy(() -> TrustStore.sslContext(trustStore, "wrong".toCharArray())).isInstanceOf(IOException.class);
  }
}
