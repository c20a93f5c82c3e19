package io.github.infermetrics.remotewrite;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 computed as its specification describes it, step by step, for requests without a query:
 * the independent check of {@link AwsSigV4Signer}, itself checked against the AWS test suite.
 */
final class ReferenceSigV4 {
  private ReferenceSigV4() {}

  /**
   * The signature.
   *
   * @param headers the signed headers, lower-case names, sorted; {@code x-amz-date} among them
   */
  static String signature(String method, String path, SortedMap<String, String> headers, byte[] payload,
      String secretKey, String region, String service) {
    StringBuilder canonical = new StringBuilder().append(method).append('\n').append(path).append("\n\n");
    for (Map.Entry<String, String> h : headers.entrySet()) {
      canonical.append(h.getKey()).append(':').append(h.getValue().strip()).append('\n');
    }
    canonical.append('\n').append(String.join(";", headers.keySet())).append('\n').append(hex(sha256(payload)));
    String amzDate = headers.get("x-amz-date");
    String scope = amzDate.substring(0, 8) + "/" + region + "/" + service + "/aws4_request";
    String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
        + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), amzDate.substring(0, 8));
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    return hex(hmac(key, toSign));
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
