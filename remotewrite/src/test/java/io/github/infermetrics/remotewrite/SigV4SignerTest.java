package io.github.infermetrics.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.snapshot.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** The signer hook with the AWS SDK's own SigV4 signer, as for Amazon Managed Service for Prometheus. */
class SigV4SignerTest {
  @Test
  void theSdkSignerPlugsInAndSignsEveryRequest() throws Exception {
    AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    AwsCredentialsIdentity credentials = AwsCredentialsIdentity.create("AKIDEXAMPLE", "secret");
    RequestSigner sigv4 = (uri, headers, body) -> {
      SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri);
      headers.forEach(request::putHeader);
      SignedRequest signed = signer.sign(r -> r.identity(credentials)
          .request(request.build())
          .payload(ContentStreamProvider.fromByteArray(body))
          .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "aps")
          .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1"));
      Map<String, String> added = new HashMap<>();
      signed.request().forEachHeader((name, values) -> added.put(name, values.get(0)));
      return added;
    };

    try (LocalReceiver receiver = new LocalReceiver();
        RemoteWriteSink sink = RemoteWriteSink.builder(receiver.uri()).signer(sigv4).build()) {
      sink.write(new KpiSet("vllm", "n", Instant.now(), Duration.ofSeconds(15),
          List.of(new KpiValue(Kpi.KV_CACHE_USAGE, KpiStatistic.VALUE, Labels.EMPTY, 0.5))));
      assertThat(sink.flush(Duration.ofSeconds(10))).isTrue();

      LocalReceiver.Received r = receiver.received().get(0);
      assertThat(r.headers().getFirst("Authorization"))
          .matches("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/eu-west-1/aps/aws4_request, SignedHeaders=\\S*"
              + "content-encoding;content-type;host;\\S*x-prometheus-remote-write-version\\S*, Signature=[0-9a-f]{64}");
      assertThat(r.headers().getFirst("X-Amz-Date")).matches("\\d{8}T\\d{6}Z");
      assertThat(sink.stats().samplesSent()).isEqualTo(1);
    }
  }
}
