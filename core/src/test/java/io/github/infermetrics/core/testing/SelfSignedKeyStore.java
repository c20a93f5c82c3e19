package io.github.infermetrics.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A PKCS#12 key store holding one self-signed EC key pair for {@code localhost} and {@code 127.0.0.1}, made by the
 * JDK's keytool at test time (valid two days), for the TLS tests: the server's key store, and the certificate a
 * client trusts, as a key store entry or a PEM block.
 */
public final class SelfSignedKeyStore {
  private final Path file;
  private final char[] password;
  private final KeyStore store;
  private final Certificate certificate;

  private SelfSignedKeyStore(Path file, char[] password, KeyStore store, Certificate certificate) {
    this.file = file;
    this.password = password;
    this.store = store;
    this.certificate = certificate;
  }

  /**
   * Makes the key store with keytool.
   *
   * @param file where to write it
   * @param alias the key's alias
   * @param password the store's and the key's password
   * @return the key store
   * @throws IllegalStateException with keytool's output when it fails
   */
  public static SelfSignedKeyStore create(Path file, String alias, String password)
      throws IOException, InterruptedException, GeneralSecurityException {
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname",
        "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
        "-keystore", file.toString(), "-storetype", "PKCS12", "-storepass", password, "-keypass", password)
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("keytool failed: " + output);
    }
    KeyStore store = KeyStore.getInstance(file.toFile(), password.toCharArray());
    return new SelfSignedKeyStore(file, password.toCharArray(), store, store.getCertificate(alias));
  }

  /** The key store's file. */
  public Path file() {
    return file;
  }

  /** The store's and the key's password. */
  public char[] password() {
    return password.clone();
  }

  /** The key store, loaded. */
  public KeyStore keyStore() {
    return store;
  }

  /** The self-signed certificate. */
  public Certificate certificate() {
    return certificate;
  }

  /** The certificate as a PEM block, as a CA bundle holds it. */
  public String pem() throws GeneralSecurityException {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }
}
