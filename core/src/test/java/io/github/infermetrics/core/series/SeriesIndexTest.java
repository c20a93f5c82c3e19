package io.github.infermetrics.core.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.testing.AllocationMeter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Series identity and the open-addressing index behind it. */
class SeriesIndexTest {
  private static final int SERIES = 10_000;

  @Test
  void identityDependsOnNameAndLabelsOnly() {
    long id = SeriesId.of("nv_inference_count", Labels.of("model", "densenet_onnx", "version", "1"));
    assertThat(SeriesId.of("nv_inference_count", Labels.of("version", "1", "model", "densenet_onnx")))
        .isEqualTo(id);
    assertThat(SeriesId.of("nv_inference_count", Labels.of("model", "densenet_onnx", "version", "2")))
        .isNotEqualTo(id);
    assertThat(SeriesId.of("nv_inference_exec_count", Labels.of("model", "densenet_onnx", "version", "1")))
        .isNotEqualTo(id);
    // boundaries between strings cannot shift
    assertThat(SeriesId.of("ab", Labels.of("c", "d"))).isNotEqualTo(SeriesId.of("a", Labels.of("bc", "d")));
    assertThat(SeriesId.of("a", Labels.of("b", "cd"))).isNotEqualTo(SeriesId.of("a", Labels.of("bc", "d")));
    assertThat(SeriesId.of("x", Labels.EMPTY)).isNotEqualTo(SeriesId.of("x", Labels.of("a", "")));
  }

  @Test
  void identityIsStableAcrossRuns() {
    // a fixed value: changing the hash function breaks identities that users may have stored
    assertThat(SeriesId.of("vllm:num_requests_running", Labels.of("engine", "0", "model_name", "qwen3")))
        .isEqualTo(0x88b976da7a15be97L);
  }

  @Test
  void identitiesOfManySeriesDoNotCollide() {
    Set<Long> ids = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      ids.add(SeriesId.of("vllm:e2e_request_latency_seconds", Labels.of("model_name", "m" + (i % 100), "engine",
          Integer.toString(i / 100))));
    }
    assertThat(ids).hasSize(100_000);
  }

  @ParameterizedTest(name = "{0} series")
  @ValueSource(ints = {1, 7, 100, 5_000})
  void putGetRemoveAgreeWithAHashMap(int n) {
    SeriesIndex<Integer> index = new SeriesIndex<>();
    Map<String, Integer> reference = new HashMap<>();
    List<Labels> labels = labels(n);
    for (int i = 0; i < n; i++) {
      assertThat(index.put(family(i), labels.get(i), i)).isNull();
      reference.put(family(i) + labels.get(i), i);
    }
    assertThat(index.size()).isEqualTo(n);
    assertThat(index.put(family(0), labels.get(0), -1)).isZero();
    assertThat(index.get(family(0), Labels.of("series", "0"))).as("equal labels, another instance").isEqualTo(-1);
    for (int i = 1; i < n; i += 2) {
      assertThat(index.remove(family(i), labels.get(i))).isEqualTo(i);
    }
    assertThat(index.remove(family(n), Labels.of("series", Integer.toString(n)))).as("never there").isNull();
    for (int i = 1; i < n; i++) {
      assertThat(index.get(family(i), labels.get(i))).isEqualTo(i % 2 == 1 ? null : reference.get(family(i)
          + labels.get(i)));
      assertThat(index.contains(family(i), labels.get(i))).isEqualTo(i % 2 == 0);
    }
    assertThat(index.size()).isEqualTo(n - n / 2);
    assertThat(index.get("other_family", labels.get(0))).isNull();
  }

  @Test
  void collidingIdentitiesStillResolveByEquality() {
    // every series gets the same identity: each lookup must walk the run and compare names and labels
    SeriesIndex<Integer> index = new SeriesIndex<>(4, (f, l) -> 42L);
    List<Labels> labels = labels(300);
    for (int i = 0; i < 300; i++) {
      index.put(family(i), labels.get(i), i);
    }
    for (int i = 0; i < 300; i++) {
      assertThat(index.get(family(i), labels.get(i))).isEqualTo(i);
      assertThat(index.get(family(i) + "_x", labels.get(i))).isNull();
    }
    // removals in the middle of the run move later entries back; nothing is lost
    for (int i = 0; i < 300; i += 3) {
      assertThat(index.remove(family(i), labels.get(i))).isEqualTo(i);
    }
    for (int i = 0; i < 300; i++) {
      assertThat(index.get(family(i), labels.get(i))).isEqualTo(i % 3 == 0 ? null : i);
    }
    assertThat(index.size()).isEqualTo(200);
  }

  @Test
  void fewDistinctIdentitiesInterleaveCorrectly() {
    // two identities whose runs overlap and wrap around the table's end
    SeriesIndex<String> index = new SeriesIndex<>(8, (f, l) -> l.get("series").hashCode() % 2 == 0 ? -1L : 15L);
    List<Labels> labels = labels(8);
    for (int i = 0; i < 8; i++) {
      index.put("f", labels.get(i), "v" + i);
    }
    for (int i = 7; i >= 0; i--) {
      for (int j = 0; j <= i; j++) {
        assertThat(index.get("f", labels.get(j))).isEqualTo("v" + j);
      }
      index.remove("f", labels.get(i));
    }
    assertThat(index.isEmpty()).isTrue();
  }

  @Test
  void forEachVisitsEverySeriesAndClearEmpties() {
    SeriesIndex<Integer> index = new SeriesIndex<>();
    List<Labels> labels = labels(50);
    for (int i = 0; i < 50; i++) {
      index.put(family(i), labels.get(i), i);
    }
    List<Integer> seen = new ArrayList<>();
    index.forEach((f, l, v) -> {
      assertThat(f).isEqualTo(family(v));
      assertThat(l).isSameAs(labels.get(v));
      seen.add(v);
    });
    assertThat(seen).hasSize(50).doesNotHaveDuplicates();
    index.clear();
    assertThat(index.size()).isZero();
    assertThat(index.get(family(3), labels.get(3))).isNull();
  }

  @Test
  void nullsAreRejected() {
    SeriesIndex<String> index = new SeriesIndex<>();
    assertThatThrownBy(() -> index.put("f", Labels.EMPTY, null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> index.get(null, Labels.EMPTY)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new SeriesIndex<String>(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void lookingUpExistingSeriesAllocatesNothing() {
    AllocationMeter meter = AllocationMeter.forCurrentThread();
    List<Labels> labels = labels(SERIES);
    // equal label sets in other instances exercise the equality path, not only the identity shortcut
    List<Labels> copies = labels(SERIES);
    SeriesIndex<Integer> index = new SeriesIndex<>();
    for (int i = 0; i < SERIES; i++) {
      index.put(family(i), labels.get(i), i);
    }
    String[] families = new String[SERIES];
    for (int i = 0; i < SERIES; i++) {
      families[i] = family(i);
    }
    long[] sink = new long[1];
    Runnable lookups = () -> {
      long s = 0;
      for (int i = 0; i < SERIES; i++) {
        s += SeriesId.of(families[i], labels.get(i));
        s += index.get(families[i], labels.get(i));
        s += index.get(families[i], copies.get(i));
        index.put(families[i], labels.get(i), index.get(families[i], labels.get(i)));
      }
      sink[0] += s;
    };
    for (int warm = 0; warm < 20; warm++) {
      lookups.run();
    }
    assertThat(meter.fewestOf3(lookups)).as("bytes allocated by %d lookups", SERIES).isZero();
    assertThat(sink[0]).isNotZero();
  }

  private static String family(int i) {
    return "family_" + (i % 7);
  }

  private static List<Labels> labels(int n) {
    List<Labels> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(Labels.of("series", Integer.toString(i)));
    }
    return out;
  }
}
