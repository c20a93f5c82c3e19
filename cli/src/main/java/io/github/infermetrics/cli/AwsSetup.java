package io.github.infermetrics.cli;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * The AWS default credentials and region, looked up before anything is sent, so that their absence is one line
 * saying how to give them instead of the SDK's provider-chain dump after several retries.
 */
final class AwsSetup {
  /** What to say when the default chain finds no credentials. */
  static final String NO_CREDENTIALS = "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
      + " (and AWS_SESSION_TOKEN), or put them in ~/.aws/credentials (AWS_PROFILE picks the profile), or run where"
      + " an instance or task role provides them";
  /** What to say when no region is configured. */
  static final String NO_REGION = "no AWS region: give --region, or set AWS_REGION, or region in ~/.aws/config"
      + " (AWS_PROFILE picks the profile)";

  private AwsSetup() {}

  /** Thrown with one of the messages above; the command prints it and exits 2 (it cannot run as configured). */
  static final class Missing extends Exception {
    private static final long serialVersionUID = 1L;

    Missing(String message) {
      super(message);
    }
  }

  /**
   * The default credentials provider, once it has found credentials.
   *
   * @throws Missing when it finds none
   */
  static AwsCredentialsProvider credentials() throws Missing {
    AwsCredentialsProvider provider = DefaultCredentialsProvider.builder().build();
    try {
      provider.resolveCredentials();
    } catch (SdkClientException e) {
      throw new Missing(NO_CREDENTIALS);
    }
    return provider;
  }

  /**
   * The region given, or else the default one.
   *
   * @param given {@code --region}, or null
   * @throws Missing when none is given or configured
   */
  static Region region(String given) throws Missing {
    if (given != null) {
      return Region.of(given);
    }
    try {
      return new DefaultAwsRegionProviderChain().getRegion();
    } catch (SdkClientException e) {
      throw new Missing(NO_REGION);
    }
  }
}
