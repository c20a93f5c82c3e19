package io.github.infermetrics.remotewrite.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.infermetrics.core.testing.AllocationMeter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

/**
 * The sender's body: the same bytes as encoding into a new array, and, once its buffers have the batch's size,
 * nothing allocated per batch; a huge batch's buffer is let go once the batches after it are small again.
 */
class RequestBodyTest {
  private static List<EncodedSample> batch(int targets, long t) {
    List<EncodedSample> out = new ArrayList<>();
    for (int i = 0; i < targets * 10; i++) {
      out.add(EncodedSample.of(new String[] {"__name__", "model", "target"},
          new String[] {"request_rate_per_second_" + i % 10, "qwen", "triton-" + i / 10 + ":8002"}, i * 0.5, t));
    }
    return out;
  }

  @Test
  void theBodyIsTheSnappyOfTheEncodedRequest() throws Exception {
    RequestBody body = new RequestBody();
    for (List<EncodedSample> b : List.of(batch(200, 1_000), batch(3, 2_000), batch(50, 3_000))) {
      body.fill(b);

      byte[] sent = Arrays.copyOf(body.array(), body.length());
      assertThat(Snappy.uncompress(sent)).isEqualTo(WriteRequestEncoder.encode(b));
    }
  }

  @Test
  void aWarmBodyOfTheSameShapeAllocatesNothing() throws Exception {
    RequestBody body = new RequestBody();
    List<EncodedSample> b = batch(200, 1_760_000_000_000L);
    for (int i = 0; i < 200; i++) {
      body.fill(b);
    }
    long bytes = AllocationMeter.forCurrentThread().fewestOf3(() -> {
      try {
        body.fill(b);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });

    assertThat(bytes).isZero();
  }

  @Test
  void aHugeBatchsBufferIsLetGoWhenLaterBatchesAreSmall() throws Exception {
    RequestBody body = new RequestBody();
    body.fill(batch(5_000, 1_000));
    int huge = body.array().length;
    List<EncodedSample> small = batch(20, 2_000);
    for (int i = 0; i < Retention.WINDOW; i++) {
      body.fill(small);
    }

    assertThat(body.array().length).isLessThan(huge / 4);
    assertThat(Snappy.uncompress(Arrays.copyOf(body.array(), body.length())))
        .isEqualTo(WriteRequestEncoder.encode(small));
  }
}
