package io.github.infermetrics.remotewrite;

import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * Signs each remote-write request with AWS Signature Version 4 through the AWS SDK's signer, as Amazon Managed
 * Service for Prometheus requires (service {@code aps}):
 *
 * <pre>{@code
 * RemoteWriteSink sink = RemoteWriteSink.builder(URI.create(
 *         "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1234/api/v1/remote_write"))
 *     .signer(AwsSigV4Signer.create("eu-west-1"))   // the default credentials: environment, profile, role
 *     .build();
 * }</pre>
 *
 * <p>Each attempt, retries included, is signed again with the time and the body it sends. Credentials come from an
 * {@link AwsCredentialsProvider}, by default the SDK's default chain ({@code AWS_ACCESS_KEY_ID} /
 * {@code AWS_SECRET_ACCESS_KEY}, {@code ~/.aws/credentials} with {@code AWS_PROFILE}, web identity, container and
 * instance roles), which caches and refreshes them. When it finds none, the attempt fails with its message and the
 * batch is retried, then failed and counted in {@link RemoteWriteStats}.
 *
 * <p>Needs {@code software.amazon.awssdk:http-auth-aws} and {@code software.amazon.awssdk:auth} (optional
 * dependencies of this module; their versions in the AWS SDK BOM). Thread-safe.
 *
 * @since 0.1.0
 */
public final class AwsSigV4Signer implements RequestSigner {
  /** The signing name of Amazon Managed Service for Prometheus. */
  public static final String AMAZON_MANAGED_PROMETHEUS = "aps";

  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
  private final String region;
  private final String service;
  private final AwsCredentialsProvider credentials;
  private final Clock clock;

  private AwsSigV4Signer(Builder b) {
    this.region = b.region;
    this.service = b.service;
    this.credentials = b.credentials != null ? b.credentials : DefaultCredentialsProvider.builder().build();
    this.clock = b.clock;
  }

  /**
   * A signer for Amazon Managed Service for Prometheus in a region, with the default credentials.
   *
   * @param region for example {@code eu-west-1}
   * @return the signer
   * @throws IllegalArgumentException when the region is not a region name
   */
  public static AwsSigV4Signer create(String region) {
    return builder(region).build();
  }

  /**
   * Starts a configuration.
   *
   * @param region the region of the endpoint, for example {@code eu-west-1}
   * @return a builder
   * @throws IllegalArgumentException when the region is not a region name
   */
  public static Builder builder(String region) {
    return new Builder(region);
  }

  @Override
  public Map<String, String> sign(URI uri, Map<String, String> headers, byte[] body) {
    SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri);
    headers.forEach(request::putHeader);
    SignedRequest signed = signer.sign(r -> r.identity(credentials.resolveCredentials())
        .request(request.build())
        .payload(ContentStreamProvider.fromByteArray(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
        .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock));
    Set<String> given = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    given.addAll(headers.keySet());
    // the signature and what it covers: Authorization, X-Amz-Date, X-Amz-Security-Token with temporary
    // credentials, Host (which the HTTP client writes itself, with the same value)
    Map<String, String> added = new LinkedHashMap<>();
    signed.request().forEachHeader((name, values) -> {
      if (!given.contains(name)) {
        added.put(name, values.get(0));
      }
    });
    return added;
  }

  @Override
  public String toString() {
    return "AwsSigV4Signer[" + service + ", " + region + "]";
  }

  /**
   * Configures an {@link AwsSigV4Signer}.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final String region;
    private String service = AMAZON_MANAGED_PROMETHEUS;
    private AwsCredentialsProvider credentials;
    private Clock clock = Clock.systemUTC();

    private Builder(String region) {
      Objects.requireNonNull(region, "region");
      String r = region.strip().toLowerCase(Locale.ROOT);
      if (!r.matches("[a-z]{2}(-[a-z0-9]+)+-[0-9]+")) {
        throw new IllegalArgumentException("region: not an AWS region name (for example eu-west-1): '" + region
            + "'");
      }
      this.region = r;
    }

    /**
     * The service's signing name. Default {@code aps}, Amazon Managed Service for Prometheus.
     *
     * @param signingName for example {@code aps}
     * @return this
     */
    public Builder service(String signingName) {
      Objects.requireNonNull(signingName, "signingName");
      if (signingName.isBlank()) {
        throw new IllegalArgumentException("service: must not be blank");
      }
      this.service = signingName;
      return this;
    }

    /**
     * Where credentials come from. Default: the SDK's {@link DefaultCredentialsProvider}.
     *
     * @param provider the provider; it is asked on every request, so it should cache (the SDK's providers do)
     * @return this
     */
    @SuppressWarnings("exports") // the SDK is optional: whoever passes a provider already reads its module
    public Builder credentials(AwsCredentialsProvider provider) {
      this.credentials = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /** The signing time's clock; for tests against fixed signatures. */
    Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the signer.
     *
     * @return the signer
     */
    public AwsSigV4Signer build() {
      return new AwsSigV4Signer(this);
    }
  }
}
