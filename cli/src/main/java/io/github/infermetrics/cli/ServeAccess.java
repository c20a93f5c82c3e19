package io.github.infermetrics.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Who may read what {@code watch --serve} serves: TLS with the key and certificate of a key store
 * ({@code --serve-tls-keystore}, {@code --serve-tls-password-file}) and HTTP basic authentication
 * ({@code --serve-basic-auth-file}), as Prometheus's own {@code web.config.file} offers; either, both or neither.
 *
 * @param tls the server's TLS context, or null for plain HTTP
 * @param authorization the {@code Authorization} header a request must carry, or null for none
 */
record ServeAccess(SSLContext tls, String authorization) {
  static final ServeAccess OPEN = new ServeAccess(null, null);

  /** A file of an access option that cannot be used: the option, the file and why, for one line. */
  static final class Problem extends Exception {
    private static final long serialVersionUID = 1L;

    Problem(String option, Path file, String reason) {
      super(option + " " + file + ": " + reason);
    }
  }

  /**
   * Reads the files the options name.
   *
   * @param keyStore a PKCS#12 or JKS key store with the server's key and certificate chain, or null
   * @param passwordFile the key store's password (its first line), or null when it has none
   * @param basicAuthFile one line {@code USER:PASSWORD}, or null
   * @return the access
   * @throws Problem naming the option and the file when one cannot be read or used
   */
  static ServeAccess read(Path keyStore, Path passwordFile, Path basicAuthFile) throws Problem {
    SSLContext tls = null;
    if (keyStore != null) {
      char[] password = passwordFile == null ? new char[0]
          : firstLine("--serve-tls-password-file", passwordFile).toCharArray();
      try {
        if (Files.isDirectory(keyStore)) {
          throw new java.nio.file.FileSystemException(keyStore.toString(), null, "is a directory");
        }
        Files.newInputStream(keyStore).close(); // what keeps it from being read, worded as for any file
      } catch (IOException e) {
        throw new Problem("--serve-tls-keystore", keyStore, FileProblem.reason(keyStore.toString(), e));
      }
      try {
        KeyStore store = KeyStore.getInstance(keyStore.toFile(), password);
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        if (!hasKey(store)) {
          throw new Problem("--serve-tls-keystore", keyStore, "holds no private key (keytool -genkeypair, or"
              + " openssl pkcs12 -export with the key and certificate)");
        }
        tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
      } catch (IOException e) {
        // the key store's own reading fails so when its integrity check fails: a wrong password, mostly
        String reason = e.getCause() instanceof java.security.UnrecoverableKeyException
            || String.valueOf(e.getMessage()).contains("password") ? "wrong password (" + e.getMessage() + ")"
            : "not a usable key store: " + e.getMessage();
        throw new Problem("--serve-tls-keystore", keyStore, reason);
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        throw new Problem("--serve-tls-keystore", keyStore, "not a usable key store: " + e.getMessage());
      }
    }
    String authorization = null;
    if (basicAuthFile != null) {
      String line = firstLine("--serve-basic-auth-file", basicAuthFile);
      int colon = line.indexOf(':');
      if (colon <= 0 || colon == line.length() - 1) {
        throw new Problem("--serve-basic-auth-file", basicAuthFile, "must hold one line USER:PASSWORD");
      }
      authorization = "Basic " + Base64.getEncoder().encodeToString(line.getBytes(StandardCharsets.UTF_8));
    }
    return new ServeAccess(tls, authorization);
  }

  /** Whether a request with this {@code Authorization} header may be answered; compared in constant time. */
  boolean admits(String given) {
    return authorization == null || given != null && MessageDigest.isEqual(
        authorization.getBytes(StandardCharsets.UTF_8), given.strip().getBytes(StandardCharsets.UTF_8));
  }

  private static boolean hasKey(KeyStore store) throws GeneralSecurityException {
    for (String alias : java.util.Collections.list(store.aliases())) {
      if (store.isKeyEntry(alias)) {
        return true;
      }
    }
    return false;
  }

  private static String firstLine(String option, Path file) throws Problem {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new Problem(option, file, FileProblem.reason(file.toString(), e));
    }
    String line = lines.isEmpty() ? "" : lines.get(0).strip();
    if (line.isEmpty()) {
      throw new Problem(option, file, "is empty");
    }
    return line;
  }
}
