package io.github.infermetrics.core.kpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infermetrics.core.snapshot.Labels;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class KpiTableTest {
  @Test
  void buildsRowsAndLooksUpColumnsByName() {
    KpiTable table = KpiTable.builder("models", "model", "version")
        .column("request_rate_per_second", "REQ/S")
        .column("queue_time_seconds_mean", "QUEUE s")
        .row(Labels.of("model", "resnet50", "version", "1"), OptionalDouble.of(12.5), OptionalDouble.empty())
        .build();

    assertThat(table.columnIndex("queue_time_seconds_mean")).isEqualTo(1);
    assertThat(table.columnIndex("nope")).isEqualTo(-1);
    KpiTable.Row row = table.rows().get(0);
    assertThat(row.value(table, "request_rate_per_second")).hasValue(12.5);
    assertThat(row.value(table, "queue_time_seconds_mean")).isEmpty();
    assertThat(row.value(table, "nope")).isEmpty();
  }

  @Test
  void refusesWhatWouldPrintWrongly() {
    assertThatThrownBy(() -> KpiTable.builder("models", "model").column("a", "A")
        .row(Labels.of("model", "m")).build())
        .hasMessageContaining("has 0 values for 1 columns");
    assertThatThrownBy(() -> KpiTable.builder("models", "model").column("a", "A").column("a", "B").build())
        .hasMessageContaining("duplicate column a");
    assertThatThrownBy(() -> KpiTable.builder("models", "model").column("a", "A")
        .row(Labels.of("gpu", "0"), OptionalDouble.of(1)).build())
        .hasMessageContaining("gpu is not one of the keys");
    assertThatThrownBy(() -> KpiTable.builder("models", "model").column("a", "A")
        .row(Labels.of("model", "m"), OptionalDouble.of(Double.NaN)))
        .hasMessageContaining("must be finite");
    assertThatThrownBy(() -> KpiTable.builder("models").column("a", "A").row(Labels.EMPTY, OptionalDouble.of(1))
        .column("b", "B"))
        .isInstanceOf(IllegalStateException.class);
  }
}
