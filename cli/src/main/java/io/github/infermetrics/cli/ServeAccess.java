package io.github.infermetrics.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.ArrayList;
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
 * @param authorizations the {@code Authorization} headers, one per user, of which a request must carry one; none
 *     for no authentication
 */
record ServeAccess(SSLContext tls, List<String> authorizations) {
  static final ServeAccess OPEN = new ServeAccess(null, List.of());

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
   * @param basicAuthFile a line {@code USER:PASSWORD} per user, or null
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
    List<String> authorizations = new ArrayList<>();
    if (basicAuthFile != null) {
      List<String> lines = lines("--serve-basic-auth-file", basicAuthFile);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (line.isEmpty()) {
          continue;
        }
        int colon = line.indexOf(':');
        if (colon <= 0 || colon == line.length() - 1) {
          throw new Problem("--serve-basic-auth-file", basicAuthFile, "line " + (i + 1)
              + ": not USER:PASSWORD (a line per user)");
        }
        authorizations.add("Basic " + Base64.getEncoder().encodeToString(line.getBytes(StandardCharsets.UTF_8)));
      }
      if (authorizations.isEmpty()) {
        throw new Problem("--serve-basic-auth-file", basicAuthFile, "is empty: a line USER:PASSWORD per user");
      }
    }
    return new ServeAccess(tls, List.copyOf(authorizations));
  }

  /**
   * Whether a request with this {@code Authorization} header may be answered: compared with every user's in
   * constant time, so that the time taken tells nothing of how much of it was right.
   */
  boolean admits(String given) {
    if (authorizations.isEmpty()) {
      return true;
    }
    if (given == null) {
      return false;
    }
    byte[] g = given.strip().getBytes(StandardCharsets.UTF_8);
    boolean ok = false;
    for (String a : authorizations) {
      ok |= MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), g);
    }
    return ok;
  }

  private static boolean hasKey(KeyStore store) throws GeneralSecurityException {
    for (String alias : java.util.Collections.list(store.aliases())) {
      if (store.isKeyEntry(alias)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> lines(String option, Path file) throws Problem {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new Problem(option, file, FileProblem.reason(file.toString(), e));
    }
  }

  private static String firstLine(String option, Path file) throws Problem {
    List<String> lines = lines(option, file);
    String line = lines.isEmpty() ? "" : lines.get(0).strip();
    if (line.isEmpty()) {
      throw new Problem(option, file, "is empty");
    }
    return line;
  }
}
