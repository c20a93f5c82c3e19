package io.github.infermetrics.neuron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.infermetrics.neuron.NeuronReport.ExecutionStats;
import io.github.infermetrics.neuron.NeuronReport.NeuronCoreCounter;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NeuronReportReaderTest {

  private static InputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  private static List<NeuronReport> readAll(NeuronReportReader reader) {
    List<NeuronReport> out = new ArrayList<>();
    reader.forEach(out::add);
    return out;
  }

  @Test
  void readsTheRealNoRuntimeRecord() throws Exception {
    byte[] bytes = TestData.sharedBytes(TestData.NO_RUNTIME);
    List<NeuronReportException> errors = new ArrayList<>();
    try (NeuronReportReader reader = NeuronReportReader.builder().onError(errors::add)
        .build(new ByteArrayInputStream(bytes))) {
      List<NeuronReport> reports = readAll(reader);
      assertThat(errors).isEmpty();
      assertThat(reports).hasSize(1);
      NeuronReport r = reports.get(0);
      assertThat(r.runtimes()).isEmpty();
      assertThat(r.system().memoryInfo()).hasValueSatisfying(m -> {
        assertThat(m.memoryTotalBytes()).isEqualTo(33110204416L);
        assertThat(m.memoryUsedBytes()).isEqualTo(1284890624L);
      });
      assertThat(r.system().vcpuUsage()).isEmpty(); // not due in the first tick
      assertThat(r.instance().id()).isEqualTo("i-0421ea5496c852415");
      assertThat(r.instance().availabilityZoneId()).isEqualTo("usw2-az4");
      assertThat(r.hardware().deviceType()).isEqualTo("trainium");
      assertThat(r.hardware().deviceMemorySize()).isEqualTo(OptionalLong.of(34359738368L));
      assertThat(r.hardware().logicalNeuroncoreConfig()).isEqualTo(OptionalInt.of(1));
      assertThat(r.k8s()).isEmpty();
      assertThat(r.errors()).isEmpty();
    }
  }

  @Test
  void readsTheRealPrettyPrintedReportWithARuntime() {
    NeuronReport r = NeuronReportReader.parse(TestData.sharedBytes(TestData.WITH_RUNTIME));
    assertThat(r.runtimes()).hasSize(1);
    NeuronReport.Runtime rt = r.runtimes().get(0);
    assertThat(rt.pid()).isEqualTo(1337);
    assertThat(rt.tag()).isEqualTo("1337");
    assertThat(rt.address()).isEmpty(); // omitted in this output
    ExecutionStats s = rt.report().executionStats().orElseThrow();
    assertThat(s.errors()).containsEntry("generic", 23654L).hasSize(6);
    assertThat(s.completed()).isEqualTo(260);
    assertThat(s.totalLatency().orElseThrow().p50()).isEqualTo(OptionalDouble.of(9.5367431640625e-05));
    NeuronReport.MemoryUsed m = rt.report().memoryUsed().orElseThrow();
    assertThat(m.hostBytes()).isEqualTo(610705408L);
    assertThat(m.deviceBytes()).isEqualTo(102298328L);
    assertThat(m.coreMemory().get(0).modelCode()).isEqualTo(101125344L);
    assertThat(m.loadedModels()).hasSize(2);
    assertThat(m.loadedModels().get(0).subgraphs().get("sg_00").deviceBreakdown().orElseThrow().constants())
        .isEqualTo(98304L);
    assertThat(rt.report().vcpuUsage().orElseThrow().userPercent()).isEqualTo(19.26);
    assertThat(rt.report().neuroncoreCounters().orElseThrow().cores().get(0).utilizationPercent())
        .isEqualTo(1.3631567613356375);
    assertThat(rt.report().neuroncoreCounters().orElseThrow().cores().get(0).flops()).isEmpty(); // before 2.7
    assertThat(r.system().vcpuUsage().orElseThrow().perCpu()).hasSize(8);
    assertThat(r.system().vcpuUsage().orElseThrow().contextSwitches()).isEqualTo(84801L);
    assertThat(r.system().hwCounters().orElseThrow().devices()).hasSize(1);
    assertThat(r.hardware().deviceType()).isEmpty(); // the old neuron_hardware_info
    assertThat(r.hardware().neuroncorePerDeviceCount()).isEqualTo(2);
  }

  @Test
  void readsACurrentTrn2ReportWithV3dFlopsAndK8sInfo() {
    NeuronReport r = TestData.report("trn2-current.json");
    assertThat(r.runtimes()).extracting(NeuronReport.Runtime::tag).containsExactly("vllm-0", "vllm-1");
    NeuronCoreCounter core0 = r.runtimes().get(0).report().neuroncoreCounters().orElseThrow().cores().get(0);
    assertThat(core0.flops()).isEqualTo(OptionalDouble.of(2.5e13));
    assertThat(core0.physicalUtilizationPercent()).containsExactly(
        java.util.Map.entry("nc_v3.0", 40.0), java.util.Map.entry("nc_v3.1", 60.0));
    ExecutionStats second = r.runtimes().get(1).report().executionStats().orElseThrow();
    assertThat(second.totalLatency()).isPresent();
    assertThat(second.deviceLatency()).isEmpty(); // "device_latency": null
    assertThat(r.hardware().neuroncoreVersion()).isEqualTo("v3d");
    assertThat(r.hardware().logicalNeuroncoreConfig()).isEqualTo(OptionalInt.of(2));
    assertThat(r.hardware().totalDeviceMemory()).isEqualTo(OptionalLong.of(2 * 103079215104L));
    assertThat(r.hardware().deviceOf(5)).isEqualTo(OptionalInt.of(1));
    NeuronReport.K8sInfo k8s = r.k8s().orElseThrow();
    assertThat(k8s.cores().get(4).containerNames()).containsExactly("vllm", "sidecar");
    assertThat(k8s.devices().get(0).podName()).isEqualTo("vllm-0");
    // every group's own error is surfaced with its path
    assertThat(r.errors()).containsExactly(java.util.Map.entry(
        "$.neuron_runtime_data[1].report.neuron_runtime_vcpu_usage", "open /proc/4343/stat: no such file or directory"));
  }

  @Test
  void readsOldNamesAsTheirNewOnesAndIgnoresUnknownFields() {
    NeuronReport r = TestData.report("old-names.json");
    ExecutionStats s = r.runtimes().get(0).report().executionStats().orElseThrow(); // from inference_stats
    assertThat(s.statuses()).containsEntry("completed", 9L).containsEntry("completed_with_num_err", 1L);
    assertThat(s.executions()).isEqualTo(10);
    assertThat(s.totalErrors()).isEqualTo(1);
    NeuronCoreCounter c = r.runtimes().get(0).report().neuroncoreCounters().orElseThrow().cores().get(0);
    assertThat(c.flops()).isEqualTo(OptionalDouble.of(1e12)); // effective_flops
    assertThat(c.physicalUtilizationPercent()).containsKeys("nc_v3.0", "nc_v3.1"); // nested spelling
    assertThat(r.hardware().logicalNeuroncoreConfig()).isEqualTo(OptionalInt.of(2)); // logical_neuroncore_size
    assertThat(r.instance().ultraserverId()).isEqualTo(Optional.of("us-42"));
    assertThat(r.instance().availabilityZoneId()).isEmpty(); // absent on old instances
  }

  @Test
  void readsNullLatencyBlocksAsAbsent() {
    NeuronReport r = TestData.report("null-latency.json");
    ExecutionStats s = r.runtimes().get(0).report().executionStats().orElseThrow();
    assertThat(s.totalLatency()).isEmpty();
    assertThat(s.deviceLatency()).isEmpty();
    assertThat(s.executions()).isZero();
    assertThat(r.system()).isEqualTo(NeuronReport.SystemData.EMPTY);
  }

  @Test
  void aCorruptLineInTheMiddleLosesOnlyThatLine() {
    String good = TestData.line(TestData.resource("trn2-current.json"));
    String idle = TestData.line(TestData.resource("null-latency.json"));
    String corrupt = good.substring(0, good.length() / 2) + "}}garbage";
    List<NeuronReportException> errors = new ArrayList<>();
    NeuronReportReader reader = NeuronReportReader.builder().onError(errors::add)
        .build(stream(good + "\n" + corrupt + "\n" + idle + "\n"));
    List<NeuronReport> reports = readAll(reader);
    assertThat(reports).hasSize(2);
    assertThat(reports.get(0).runtimes()).hasSize(2);
    assertThat(reports.get(1).runtimes().get(0).tag()).isEqualTo("idle-app");
    assertThat(errors).singleElement().satisfies(e -> {
      assertThat(e.line()).isEqualTo(2);
      assertThat(e.column()).isPositive();
      assertThat(e.jsonPath()).startsWith("$.neuron_runtime_data[1].report"); // where the JSON broke
      assertThat(e.getMessage()).startsWith("line 2:");
    });
    assertThat(reader.errors()).isEqualTo(1);
    assertThat(reader.lines()).isEqualTo(3);
  }

  @Test
  void aFieldOfTheWrongTypeNamesItsJsonPathAndLine() {
    String bad = "{\"neuron_runtime_data\":[{\"pid\":\"not a number\",\"report\":{}}]}";
    String wrongGroup = "{\"system_data\":{\"memory_info\":{\"memory_total_bytes\":true}}}";
    List<NeuronReportException> errors = new ArrayList<>();
    List<NeuronReport> reports = readAll(NeuronReportReader.builder().onError(errors::add)
        .build(stream("\n" + bad + "\n" + wrongGroup + "\n{}\n")));
    assertThat(reports).hasSize(1); // "{}": a report with nothing in it
    assertThat(errors).extracting(NeuronReportException::line).containsExactly(2L, 3L);
    assertThat(errors).extracting(NeuronReportException::jsonPath)
        .containsExactly("$.neuron_runtime_data[0].pid", "$.system_data.memory_info.memory_total_bytes");
    assertThat(errors.get(0).getMessage())
        .isEqualTo("line 2: $.neuron_runtime_data[0].pid: expected an integer, got string \"not a number\"");
  }

  @Test
  void aCompleteLastLineWithoutLineEndIsRead() {
    String idle = TestData.line(TestData.resource("null-latency.json"));
    List<NeuronReportException> errors = new ArrayList<>();
    List<NeuronReport> reports = readAll(NeuronReportReader.builder().onError(errors::add)
        .build(stream(idle + "\r\n" + idle)));
    assertThat(reports).hasSize(2);
    assertThat(errors).isEmpty();
  }

  @Test
  void aTruncatedLastLineIsReportedAndTheReportsBeforeItKept() {
    String idle = TestData.line(TestData.resource("null-latency.json"));
    List<NeuronReportException> errors = new ArrayList<>();
    List<NeuronReport> reports = readAll(NeuronReportReader.builder().onError(errors::add)
        .build(stream(idle + "\n" + idle.substring(0, 100))));
    assertThat(reports).hasSize(1);
    assertThat(errors).singleElement().satisfies(e -> {
      assertThat(e.line()).isEqualTo(2);
      assertThat(e.reason()).contains("end-of-input");
    });
  }

  @Test
  void aTooLongLineIsSkippedWithAnErrorThatNamesTheSetting() {
    String idle = TestData.line(TestData.resource("null-latency.json"));
    String big = "{\"pad\":\"" + "x".repeat(20_000) + "\"}";
    List<NeuronReportException> errors = new ArrayList<>();
    List<NeuronReport> reports = readAll(NeuronReportReader.builder().maxLineBytes(10_000).onError(errors::add)
        .build(stream(idle + "\n" + big + "\n" + idle + "\n" + big)));
    assertThat(reports).hasSize(2);
    assertThat(errors).hasSize(2).allSatisfy(e ->
        assertThat(e.getMessage()).contains("maxLineBytes = 10000").contains("NeuronReportReader.Builder.maxLineBytes"));
    assertThat(errors).extracting(NeuronReportException::line).containsExactly(2L, 4L);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 8192, 100_000})
  void readsAcrossChunkBoundariesOfAnySize(int bytesPerRead) {
    String good = TestData.line(TestData.resource("trn2-current.json"));
    String text = (good + "\n").repeat(3);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    InputStream trickle = new InputStream() {
      private int pos;

      @Override
      public int read() {
        return pos < bytes.length ? bytes[pos++] & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (pos >= bytes.length) {
          return -1;
        }
        int n = Math.min(Math.min(len, bytesPerRead), bytes.length - pos);
        System.arraycopy(bytes, pos, b, off, n);
        pos += n;
        return n;
      }
    };
    List<NeuronReport> reports = readAll(NeuronReportReader.of(trickle));
    assertThat(reports).hasSize(3).allSatisfy(r -> assertThat(r).isEqualTo(reports.get(0)));
  }

  @Test
  void parseRejectsWhatIsNotOneReport() {
    assertThatThrownBy(() -> NeuronReportReader.parse("[1,2]"))
        .isInstanceOf(NeuronReportException.class).hasMessage("$: expected an object, got array [1,2]");
    assertThatThrownBy(() -> NeuronReportReader.parse("{} {}"))
        .isInstanceOf(NeuronReportException.class).hasMessageContaining("after the end of the report");
    assertThatThrownBy(() -> NeuronReportReader.parse("  "))
        .isInstanceOf(NeuronReportException.class).hasMessageContaining("no JSON document");
    assertThatThrownBy(() -> NeuronReportReader.parse("{\"neuron_runtime_data\":[{\"report\":{\"neuroncore_counters\":"
        + "{\"neuroncores_in_use\":{\"zero\":{}}}}}]}"))
        .hasMessage("$.neuron_runtime_data[0].report.neuroncore_counters.neuroncores_in_use.zero: "
            + "expected a non-negative index as the key, got \"zero\"");
  }

  @Test
  void percentagesStayPercentInTheModel() {
    NeuronReport r = TestData.report("trn2-current.json");
    NeuronReport.CpuTimes avg = r.system().vcpuUsage().orElseThrow().average();
    // user + nice = 30 + 5; system + io_wait + irq + soft_irq = 10 + 2 + 1 + 2
    assertThat(avg.userTotal()).isCloseTo(35, within(1e-12));
    assertThat(avg.systemTotal()).isCloseTo(15, within(1e-12));
  }
}
