package io.github.infermetrics.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.snapshot.Labels;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/** {@link AwsSigV4Signer}: the AWS test suite's vector, and real requests checked by the SDK's own signer. */
class SigV4SignerTest {
  private static final AwsCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(
      AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"));

  @Test
  void theReferenceComputationGivesTheAwsTestSuitesSignature() {
    // aws-sig-v4-test-suite, post-vanilla: POST / to example.amazonaws.com at 20150830T123600Z, empty body
    assertThat(ReferenceSigV4.signature("POST", "/", new TreeMap<>(Map.of("host", "example.amazonaws.com",
        "x-amz-date", "20150830T123600Z")), new byte[0], "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1",
        "service")).isEqualTo("5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
  }

  @Test
  void signsARemoteWriteRequestAsTheSpecificationComputesIt() {
    AwsSigV4Signer signer = AwsSigV4Signer.builder("eu-west-1").credentials(CREDENTIALS)
        .clock(Clock.fixed(Instant.parse("2015-08-30T12:36:00Z"), ZoneOffset.UTC)).build();
    URI uri = URI.create("https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write");
    Map<String, String> headers = Map.of("Content-Encoding", "snappy", "Content-Type", "application/x-protobuf",
        "X-Prometheus-Remote-Write-Version", "0.1.0");
    byte[] body = {1, 2, 3, (byte) 0xff};
    Map<String, String> added = signer.sign(uri, headers, body);
    String authorization = added.get("Authorization");
    assertThat(authorization).startsWith(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/aps/aws4_request, SignedHeaders=");
    TreeMap<String, String> signedHeaders = new TreeMap<>();
    Map<String, String> all = new java.util.HashMap<>(headers);
    all.putAll(added);
    for (String name : authorization.replaceAll(".*SignedHeaders=([^,]*),.*", "$1").split(";")) {
      all.forEach((n, v) -> {
        if (n.equalsIgnoreCase(name)) {
          signedHeaders.put(name, v);
        }
      });
    }
    assertThat(signedHeaders).containsKeys("content-encoding", "content-type", "host", "x-amz-date",
        "x-prometheus-remote-write-version");
    assertThat(authorization).endsWith("Signature=" + ReferenceSigV4.signature("POST", uri.getRawPath(),
        signedHeaders, body, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "eu-west-1", "aps"));
  }

  @Test
  void everyRequestSentVerifiesWithTheSdksSigner() throws Exception {
    try (LocalReceiver receiver = new LocalReceiver();
        RemoteWriteSink sink = RemoteWriteSink.builder(receiver.uri()).header("X-Scope-OrgID", "team-a")
            .signer(AwsSigV4Signer.builder("eu-west-1").credentials(CREDENTIALS).build()).build()) {
      sink.write(kpis(0.5));
      assertThat(sink.flush(Duration.ofSeconds(10))).isTrue();
      sink.write(kpis(0.75));
      assertThat(sink.flush(Duration.ofSeconds(10))).isTrue();

      assertThat(receiver.received()).hasSize(2).allSatisfy(r -> {
        String authorization = r.headers().getFirst("Authorization");
        assertThat(authorization).matches("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/eu-west-1/aps/aws4_request,"
            + " SignedHeaders=\\S*content-encoding;content-type;host;\\S*x-prometheus-remote-write-version\\S*,"
            + " Signature=[0-9a-f]{64}");
        // what arrived (headers as sent by the HTTP client, the body) signed again by the SDK at the same time
        assertThat(authorization).isEqualTo(expectedAuthorization(receiver.uri(), r, "eu-west-1", CREDENTIALS));
      });
      assertThat(receiver.received().get(0).headers().getFirst("Authorization"))
          .isNotEqualTo(receiver.received().get(1).headers().getFirst("Authorization"));
      assertThat(sink.stats().samplesSent()).isEqualTo(2);
    }
  }

  @Test
  void temporaryCredentialsSendTheirSessionToken() throws Exception {
    AwsCredentialsProvider session = StaticCredentialsProvider.create(
        AwsSessionCredentials.create("ASIAEXAMPLE", "secret", "token-123"));
    try (LocalReceiver receiver = new LocalReceiver();
        RemoteWriteSink sink = RemoteWriteSink.builder(receiver.uri())
            .signer(AwsSigV4Signer.builder("us-west-2").credentials(session).build()).build()) {
      sink.write(kpis(0.5));
      assertThat(sink.flush(Duration.ofSeconds(10))).isTrue();
      LocalReceiver.Received r = receiver.received().get(0);
      assertThat(r.headers().getFirst("X-Amz-Security-Token")).isEqualTo("token-123");
      assertThat(r.headers().getFirst("Authorization")).contains("x-amz-security-token")
          .isEqualTo(expectedAuthorization(receiver.uri(), r, "us-west-2", session));
    }
  }

  @Test
  void credentialsThatCannotBeFoundFailTheBatchAndAreCounted() throws Exception {
    AwsCredentialsProvider none = () -> {
      throw new IllegalStateException("Unable to load credentials from any of the providers in the chain");
    };
    try (LocalReceiver receiver = new LocalReceiver();
        RemoteWriteSink sink = RemoteWriteSink.builder(receiver.uri()).maxAttempts(2)
            .backoff(Duration.ofMillis(10), Duration.ofMillis(20))
            .signer(AwsSigV4Signer.builder("eu-west-1").credentials(none).build()).build()) {
      sink.write(kpis(0.5));
      sink.flush(Duration.ofSeconds(10));
      assertThat(receiver.received()).isEmpty();
      assertThat(sink.stats().samplesFailed()).isEqualTo(1);
      assertThat(sink.stats().lastError()).startsWith("cannot sign the request: Unable to load credentials");
    }
  }

  @Test
  void regionNamesAreChecked() {
    assertThat(AwsSigV4Signer.create("us-gov-west-1")).hasToString("AwsSigV4Signer[aps, us-gov-west-1]");
    assertThatThrownBy(() -> AwsSigV4Signer.create("eu west")).hasMessageStartingWith("region: not an AWS region");
  }

  private static KpiSet kpis(double value) {
    return new KpiSet("vllm", "n", Instant.now(), Duration.ofSeconds(15),
        List.of(new KpiValue(Kpi.KV_CACHE_USAGE, KpiStatistic.VALUE, Labels.EMPTY, value)));
  }

  /** The Authorization header the SDK's signer computes for the request as received, at its X-Amz-Date. */
  private static String expectedAuthorization(URI uri, LocalReceiver.Received r, String region,
      AwsCredentialsProvider credentials) {
    String authorization = r.headers().getFirst("Authorization");
    String signedHeaders = authorization.replaceAll(".*SignedHeaders=([^,]*),.*", "$1");
    SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri);
    for (String name : signedHeaders.split(";")) {
      request.putHeader(name, r.headers().getFirst(name));
    }
    Instant at = LocalDateTime.parse(r.headers().getFirst("X-Amz-Date"),
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")).toInstant(ZoneOffset.UTC);
    SignedRequest signed = AwsV4HttpSigner.create().sign(s -> s.identity(credentials.resolveCredentials())
        .request(request.build())
        .payload(ContentStreamProvider.fromByteArray(r.body()))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "aps")
        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
        .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)));
    return signed.request().firstMatchingHeader("Authorization").orElseThrow();
  }
}
