package io.github.infermetrics.remotewrite;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * Adds authentication headers to each remote-write request. It is called for every attempt, retries included, with
 * the final headers and the compressed body, so a signature that covers the time and the payload (AWS SigV4 for
 * Amazon Managed Service for Prometheus) stays valid.
 *
 * <p>AWS SigV4, for Amazon Managed Service for Prometheus: {@link AwsSigV4Signer}, through the AWS SDK's signer.
 *
 * <p>Headers the HTTP client sets itself ({@code Host}, {@code Content-Length}, {@code Connection}) are ignored in
 * what a signer returns; the client writes the same values.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface RequestSigner {
  /**
   * The headers to add to one request.
   *
   * @param uri the endpoint
   * @param headers the request's headers so far (protocol headers and configured ones)
   * @param body the snappy-compressed body
   * @return headers to add or replace, for example {@code Authorization}
   */
  Map<String, String> sign(URI uri, Map<String, String> headers, byte[] body);

  /**
   * {@code Authorization: Bearer TOKEN}.
   *
   * @param token the token, not blank; surrounding white space (a token file's final line break) is removed
   * @return the signer
   * @throws IllegalArgumentException when the token is blank or has a line break inside
   */
  static RequestSigner bearer(String token) {
    String t = Objects.requireNonNull(token, "token").strip();
    if (t.isEmpty() || t.indexOf('\n') >= 0 || t.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("token: must be non-blank and on one line");
    }
    Map<String, String> header = Map.of("Authorization", "Bearer " + t);
    return (uri, headers, body) -> header;
  }

  /**
   * {@code Authorization: Basic base64(user:password)}.
   *
   * @param user the user name, without {@code :}
   * @param password the password
   * @return the signer
   * @throws IllegalArgumentException when the user is empty or contains {@code :}
   */
  static RequestSigner basic(String user, String password) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (user.isEmpty() || user.indexOf(':') >= 0) {
      throw new IllegalArgumentException("user: must be non-empty and without ':'");
    }
    String encoded = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    Map<String, String> header = Map.of("Authorization", "Basic " + encoded);
    return (uri, headers, body) -> header;
  }
}
