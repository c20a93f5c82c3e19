package io.github.infermetrics.core.scrape;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS contexts that trust the certificates of a trust store, for endpoints whose certificates a private CA
 * signed (the CloudWatch agent scraping {@code neuron-monitor} over HTTPS, a service mesh).
 *
 * <pre>{@code
 * SSLContext ca = TrustStore.fromPem(Path.of("/etc/infermetrics/ca.crt"));   // or a .p12 / .jks with sslContext
 * ScrapeTarget t = ScrapeTarget.builder(URI.create("https://trn1-0:9010/metrics")).sslContext(ca).build();
 * }</pre>
 *
 * <p>Host names are still verified against the certificate. Build one context and share it: the scraper keeps
 * one HTTP client per distinct context.
 */
public final class TrustStore {
  private TrustStore() {}

  /**
   * A context trusting the certificates of a PKCS12 or JKS file (the type is detected).
   *
   * @param file the trust store
   * @param password its password, or {@code null} when it has none
   * @return a new TLS context
   * @throws IOException when the file cannot be read, or the password is wrong
   * @throws GeneralSecurityException when the file is not a key store, or holds no usable certificate
   */
  public static SSLContext sslContext(Path file, char[] password) throws IOException, GeneralSecurityException {
    Objects.requireNonNull(file, "file");
    return sslContext(KeyStore.getInstance(file.toFile(), password));
  }

  /**
   * A context trusting the certificates of a PEM file: one or more {@code -----BEGIN CERTIFICATE-----} blocks, as
   * in a CA bundle, the CloudWatch agent's {@code ca_file} or a Kubernetes {@code ca.crt} (DER is accepted too).
   *
   * @param caFile the certificates to trust
   * @return a new TLS context
   * @throws IOException when the file cannot be read
   * @throws GeneralSecurityException when the file holds no certificate, or a malformed one
   */
  public static SSLContext fromPem(Path caFile) throws IOException, GeneralSecurityException {
    Objects.requireNonNull(caFile, "caFile");
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(caFile)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (CertificateException e) {
      throw new CertificateException(caFile + ": not a PEM or DER certificate file: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new CertificateException(caFile + ": holds no certificate");
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    int i = 0;
    for (Certificate c : certificates) {
      store.setCertificateEntry("ca-" + i++, c);
    }
    return sslContext(store);
  }

  /**
   * A context trusting the certificates of a loaded key store.
   *
   * @param trustStore the certificates to trust
   * @return a new TLS context
   * @throws GeneralSecurityException when the store holds no usable certificate
   */
  public static SSLContext sslContext(KeyStore trustStore) throws GeneralSecurityException {
    Objects.requireNonNull(trustStore, "trustStore");
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trustStore);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}
