package io.github.infermetrics.remotewrite.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infermetrics.remotewrite.WriteRequests;
import io.github.infermetrics.remotewrite.WriteRequests.Sample;
import io.github.infermetrics.remotewrite.WriteRequests.Series;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WriteRequestEncoderTest {
  private static EncodedSample sample(String name, String model, double value, long t) {
    return EncodedSample.of(new String[] {"__name__", "model"}, new String[] {name, model}, value, t);
  }

  @Test
  void samplesOfOneSeriesBecomeOneTimeSeriesInQueueOrder() throws Exception {
    byte[] bytes = WriteRequestEncoder.encode(List.of(
        sample("request_rate_per_second", "qwen", 2.5, 1_000),
        sample("kv_cache_usage_ratio", "qwen", 0.25, 1_000),
        sample("request_rate_per_second", "qwen", 3.0, 2_000),
        sample("request_rate_per_second", "llama", 1.0, 1_000)));

    List<Series> series = WriteRequests.decode(bytes);

    assertThat(series).extracting(Series::labels).containsExactly(
        Map.of("__name__", "request_rate_per_second", "model", "qwen"),
        Map.of("__name__", "kv_cache_usage_ratio", "model", "qwen"),
        Map.of("__name__", "request_rate_per_second", "model", "llama"));
    assertThat(series.get(0).samples()).containsExactly(new Sample(2.5, 1_000), new Sample(3.0, 2_000));
    assertThat(series.get(2).samples()).containsExactly(new Sample(1.0, 1_000));
  }

  @Test
  void wireBytesOfOneSmallSampleAreAsProtobufWritesThem() {
    // WriteRequest{timeseries{labels{name:"a" value:"b"} samples{value:1.0 timestamp:1}}}
    //   Label:      0a 01 'a' 12 01 'b'                         = 6 bytes
    //   Sample:     09 <1.0 little-endian: 00..00 f0 3f> 10 01   = 11 bytes
    //   TimeSeries: 0a 06 <label> 12 0b <sample>                 = 2+6+2+11 = 21 bytes
    //   WriteRequest: 0a 15 <timeseries>                         = 23 bytes
    byte[] bytes = WriteRequestEncoder.encode(List.of(
        EncodedSample.of(new String[] {"a"}, new String[] {"b"}, 1.0, 1)));

    assertThat(bytes).containsExactly(0x0a, 0x15, 0x0a, 0x06, 0x0a, 0x01, 'a', 0x12, 0x01, 'b', 0x12, 0x0b, 0x09,
        0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x10, 0x01);
  }

  @Test
  void specialValuesTimestampsAndUtf8SurviveTheRoundTrip() throws Exception {
    long now = 1_760_000_000_123L;
    byte[] bytes = WriteRequestEncoder.encode(List.of(
        EncodedSample.of(new String[] {"__name__", "le"}, new String[] {"x_bucket", "+Inf"}, Double.NaN, now),
        EncodedSample.of(new String[] {"__name__", "model"}, new String[] {"x", "Qwen/Qwen3-8B é"},
            Double.POSITIVE_INFINITY, -1L)));

    List<Series> series = WriteRequests.decode(bytes);

    assertThat(series.get(0).samples().get(0).value()).isNaN();
    assertThat(series.get(0).samples().get(0).timestampMillis()).isEqualTo(now);
    assertThat(series.get(1).labels()).containsEntry("model", "Qwen/Qwen3-8B é");
    assertThat(series.get(1).samples()).containsExactly(new Sample(Double.POSITIVE_INFINITY, -1L));
  }

  @Test
  void encodedSizeBoundsWhatASampleAddsToARequest() {
    EncodedSample s = sample("time_to_first_token_seconds_p95", "Qwen/Qwen3-8B", 0.123, 1_760_000_000_123L);

    int alone = WriteRequestEncoder.encode(List.of(s)).length;

    assertThat(s.encodedSize()).isBetween(alone, alone + 12);
  }

  @Test
  void labelsMustBeSortedDistinctAndNonEmpty() {
    assertThatThrownBy(() -> EncodedSample.of(new String[] {"model", "__name__"}, new String[] {"a", "b"}, 1, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sorted");
    assertThatThrownBy(() -> EncodedSample.of(new String[] {"a", "a"}, new String[] {"x", "y"}, 1, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("distinct");
    assertThatThrownBy(() -> EncodedSample.of(new String[] {"__name__", "a"}, new String[] {"x", ""}, 1, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty name or value at a");
  }
}
