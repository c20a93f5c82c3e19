package io.github.infermetrics.cloudwatch.insights;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Ready Logs Insights queries over the log groups of Amazon EKS Container Insights: the application logs of the
 * serving pods ({@code /aws/containerinsights/<cluster>/application}, one event per container log line with
 * {@code log} and {@code kubernetes.*} fields) and the performance events
 * ({@code /aws/containerinsights/<cluster>/performance}, one event per pod, node or container and interval, with
 * {@code Type}, {@code PodName}, {@code NodeName} and the {@code pod_*}/{@code node_*} metric fields, including the
 * NeuronCore fields of accelerated compute). They answer the questions of picking instance sizes under load: what
 * the serving pods log, how much CPU, memory and NeuronCore they use, which nodes run hot, and whether
 * neuron-monitor is healthy.
 *
 * <pre>{@code
 * CatalogueQuery q = ContainerInsightsQueries.entry("nodes-over-cpu")
 *     .query(CatalogueParameters.of("inference").withThreshold(90));
 * q.logGroupNames();   // [/aws/containerinsights/inference/performance]
 * q.query().text();
 * // filter Type = "Node" and node_cpu_utilization > 90
 * // | stats max(node_cpu_utilization) as max_cpu, ... by NodeName, InstanceType
 * // | sort max_cpu desc
 * // | limit 100
 * }</pre>
 *
 * @since 0.1
 */
public final class ContainerInsightsQueries {
  private static final Expr TIMESTAMP = Expr.field("@timestamp");
  // application log events (Fluent Bit with the kubernetes filter)
  private static final Expr LOG = Expr.field("log");
  private static final Expr K8S_NAMESPACE = Expr.field("kubernetes.namespace_name");
  private static final Expr K8S_POD = Expr.field("kubernetes.pod_name");
  private static final Expr K8S_CONTAINER = Expr.field("kubernetes.container_name");
  private static final Expr K8S_HOST = Expr.field("kubernetes.host");
  // performance events
  private static final Expr TYPE = Expr.field("Type");
  private static final Expr NAMESPACE = Expr.field("Namespace");
  private static final Expr POD = Expr.field("PodName");
  private static final Expr NODE = Expr.field("NodeName");
  private static final Expr INSTANCE_TYPE = Expr.field("InstanceType");
  private static final Expr POD_CPU = Expr.field("pod_cpu_utilization");
  private static final Expr POD_MEMORY = Expr.field("pod_memory_utilization");
  private static final Expr NODE_CPU = Expr.field("node_cpu_utilization");
  private static final Expr NODE_MEMORY = Expr.field("node_memory_utilization");
  private static final Expr POD_NEURONCORE_USAGE = Expr.field("pod_neuroncore_usage_total");
  private static final Expr NODE_NEURONCORE_USAGE = Expr.field("node_neuroncore_usage_total");
  private static final String NEURON_MONITOR = "neuron-monitor";
  private static final int ROWS = 200;

  private static final List<CatalogueEntry> ENTRIES = List.of(
      new CatalogueEntry("serving-pod-logs",
          "Application log lines of the serving pods, newest first",
          ContainerInsightsQueries::servingPodLogs),
      new CatalogueEntry("serving-pod-errors",
          "Error, exception and out-of-memory lines of the serving pods per pod and 5 minutes",
          ContainerInsightsQueries::servingPodErrors),
      new CatalogueEntry("pod-resources",
          "CPU, memory and NeuronCore fields of the serving pods from the performance log group, newest first",
          ContainerInsightsQueries::podResources),
      new CatalogueEntry("pod-resources-summary",
          "Average and peak CPU, memory and NeuronCores in use per pod, to size instances under load",
          ContainerInsightsQueries::podResourcesSummary),
      new CatalogueEntry("pod-neuron",
          "Neuron-related pod metrics of pods that use NeuronCores (pod_neuroncore_usage_total > 0)",
          ContainerInsightsQueries::podNeuron),
      new CatalogueEntry("nodes-over-cpu",
          "Nodes whose node_cpu_utilization went over the threshold, with their peak CPU and memory",
          ContainerInsightsQueries::nodesOverCpu),
      new CatalogueEntry("node-neuroncore-capacity",
          "NeuronCores in use against NeuronCores allocatable per node and instance type",
          ContainerInsightsQueries::nodeNeuronCoreCapacity),
      new CatalogueEntry("neuron-monitor-pods",
          "Health of the neuron-monitor pods: status, restarts, CPU and memory, last report per node",
          ContainerInsightsQueries::neuronMonitorPods),
      new CatalogueEntry("neuron-monitor-errors",
          "Error and warning lines logged by the neuron-monitor pods, newest first",
          ContainerInsightsQueries::neuronMonitorErrors));

  private ContainerInsightsQueries() {}

  /**
   * Every entry, in a stable order.
   *
   * @return the entries
   */
  public static List<CatalogueEntry> entries() {
    return ENTRIES;
  }

  /**
   * The entry with this name.
   *
   * @param name for example {@code pod-neuron}
   * @return the entry
   * @throws IllegalArgumentException naming the entries there are, when there is none
   */
  public static CatalogueEntry entry(String name) {
    for (CatalogueEntry e : ENTRIES) {
      if (e.name().equals(name)) {
        return e;
      }
    }
    throw new IllegalArgumentException("catalogue: no query '" + name + "'; there are "
        + ENTRIES.stream().map(CatalogueEntry::name).toList());
  }

  // ---- the queries

  private static CatalogueQuery servingPodLogs(CatalogueParameters p) {
    Query q = Query.create().fields(TIMESTAMP, K8S_NAMESPACE, K8S_POD, K8S_CONTAINER, LOG);
    q = filter(q, applicationPods(p, Optional.empty()));
    return application(p, "serving-pod-logs", q.sort(TIMESTAMP.desc()).limit(ROWS));
  }

  private static CatalogueQuery servingPodErrors(CatalogueParameters p) {
    Expr errors = LOG.matches("(?i)(error|exception|traceback|out of memory|oom)");
    Query q = Query.create().filter(and(applicationPods(p, Optional.empty()), Optional.of(errors)).orElseThrow())
        .stats(List.of(QueryFunction.COUNT.call().as("errors")),
            List.of(K8S_POD, QueryFunction.BIN.call(Expr.period("5m")).as("period")))
        .sort(Expr.field("period").desc(), Expr.field("errors").desc())
        .limit(ROWS);
    return application(p, "serving-pod-errors", q);
  }

  private static CatalogueQuery podResources(CatalogueParameters p) {
    Query q = Query.create()
        .fields(TIMESTAMP, NAMESPACE, POD, NODE, POD_CPU, POD_MEMORY,
            Expr.field("pod_cpu_utilization_over_pod_limit"), Expr.field("pod_memory_utilization_over_pod_limit"),
            Expr.field("pod_neuroncore_request"), Expr.field("pod_neuroncore_limit"), POD_NEURONCORE_USAGE)
        .filter(and(Optional.of(TYPE.eq("Pod")), performancePods(p, Optional.empty())).orElseThrow())
        .sort(TIMESTAMP.desc())
        .limit(ROWS);
    return performance(p, "pod-resources", q);
  }

  private static CatalogueQuery podResourcesSummary(CatalogueParameters p) {
    Query q = Query.create()
        .filter(and(Optional.of(TYPE.eq("Pod")), performancePods(p, Optional.empty())).orElseThrow())
        .stats(List.of(
                QueryFunction.AVG.call(POD_CPU).as("avg_cpu"),
                QueryFunction.MAX.call(POD_CPU).as("max_cpu"),
                QueryFunction.PCT.call(POD_CPU, Expr.number(95)).as("p95_cpu"),
                QueryFunction.AVG.call(POD_MEMORY).as("avg_memory"),
                QueryFunction.MAX.call(POD_MEMORY).as("max_memory"),
                QueryFunction.MAX.call(POD_NEURONCORE_USAGE).as("max_neuroncores")),
            List.of(POD, NODE))
        .sort(Expr.field("max_cpu").desc())
        .limit(ROWS);
    return performance(p, "pod-resources-summary", q);
  }

  private static CatalogueQuery podNeuron(CatalogueParameters p) {
    Query q = Query.create()
        .fields(TIMESTAMP, NAMESPACE, POD, NODE, Expr.field("pod_neuroncore_request"),
            Expr.field("pod_neuroncore_limit"), POD_NEURONCORE_USAGE, Expr.field("pod_neuroncore_utilization"),
            Expr.field("pod_neuroncore_memory_usage_total"))
        .filter(and(Optional.of(POD_NEURONCORE_USAGE.gt(0)), performancePods(p, Optional.empty())).orElseThrow())
        .sort(TIMESTAMP.desc())
        .limit(ROWS);
    return performance(p, "pod-neuron", q);
  }

  private static CatalogueQuery nodesOverCpu(CatalogueParameters p) {
    Query q = Query.create()
        .filter(TYPE.eq("Node").and(NODE_CPU.gt(p.threshold())))
        .stats(List.of(
                QueryFunction.MAX.call(NODE_CPU).as("max_cpu"),
                QueryFunction.AVG.call(NODE_CPU).as("avg_cpu"),
                QueryFunction.MAX.call(NODE_MEMORY).as("max_memory"),
                QueryFunction.COUNT.call().as("samples_over")),
            List.of(NODE, INSTANCE_TYPE))
        .sort(Expr.field("max_cpu").desc())
        .limit(ROWS);
    return performance(p, "nodes-over-cpu", q);
  }

  private static CatalogueQuery nodeNeuronCoreCapacity(CatalogueParameters p) {
    Query q = Query.create()
        .filter(TYPE.eq("Node").and(QueryFunction.IS_PRESENT.call(Expr.field("node_neuroncore_limit"))))
        .stats(List.of(
                QueryFunction.MAX.call(NODE_NEURONCORE_USAGE).as("max_neuroncores_used"),
                QueryFunction.AVG.call(NODE_NEURONCORE_USAGE).as("avg_neuroncores_used"),
                QueryFunction.MAX.call(Expr.field("node_neuroncore_limit")).as("neuroncores")),
            List.of(NODE, INSTANCE_TYPE))
        .sort(Expr.field("max_neuroncores_used").desc())
        .limit(ROWS);
    return performance(p, "node-neuroncore-capacity", q);
  }

  private static CatalogueQuery neuronMonitorPods(CatalogueParameters p) {
    Query q = Query.create()
        .filter(and(Optional.of(TYPE.eq("Pod")), performancePods(p, Optional.of(NEURON_MONITOR))).orElseThrow())
        .stats(List.of(
                QueryFunction.LATEST.call(Expr.field("pod_status")).as("status"),
                QueryFunction.MAX.call(Expr.field("pod_number_of_container_restarts")).as("restarts"),
                QueryFunction.MAX.call(POD_CPU).as("max_cpu"),
                QueryFunction.MAX.call(POD_MEMORY).as("max_memory"),
                QueryFunction.LATEST.call(TIMESTAMP).as("last_seen")),
            List.of(POD, NODE))
        .sort(Expr.field("restarts").desc())
        .limit(ROWS);
    return performance(p, "neuron-monitor-pods", q);
  }

  private static CatalogueQuery neuronMonitorErrors(CatalogueParameters p) {
    Query q = Query.create()
        .fields(TIMESTAMP, K8S_POD, K8S_HOST, LOG)
        .filter(and(applicationPods(p, Optional.of(NEURON_MONITOR)),
            Optional.of(LOG.matches("(?i)(error|fail|warn)"))).orElseThrow())
        .sort(TIMESTAMP.desc())
        .limit(ROWS);
    return application(p, "neuron-monitor-errors", q);
  }

  // ---- helpers

  private static CatalogueQuery application(CatalogueParameters p, String name, Query q) {
    return new CatalogueQuery(name, List.of(p.applicationLogGroup()), q);
  }

  private static CatalogueQuery performance(CatalogueParameters p, String name, Query q) {
    return new CatalogueQuery(name, List.of(p.performanceLogGroup()), q);
  }

  /**
   * The namespace and pod conditions on application log events; a fixed pod pattern replaces both parameters.
   */
  private static Optional<Expr> applicationPods(CatalogueParameters p, Optional<String> fixedPod) {
    return pods(p, fixedPod, K8S_NAMESPACE, K8S_POD);
  }

  private static Optional<Expr> performancePods(CatalogueParameters p, Optional<String> fixedPod) {
    return pods(p, fixedPod, NAMESPACE, POD);
  }

  private static Optional<Expr> pods(CatalogueParameters p, Optional<String> fixedPod, Expr namespaceField,
      Expr podField) {
    List<Expr> parts = new ArrayList<>();
    if (fixedPod.isEmpty()) {
      // neuron-monitor runs in its own namespace, not the serving pods'
      p.namespace().ifPresent(ns -> parts.add(namespaceField.eq(ns)));
    }
    fixedPod.or(p::podPattern).ifPresent(re -> parts.add(podField.matches(re)));
    return parts.stream().reduce(Expr::and);
  }

  private static Optional<Expr> and(Optional<Expr> a, Optional<Expr> b) {
    if (a.isEmpty()) {
      return b;
    }
    return b.isEmpty() ? a : Optional.of(a.get().and(b.get()));
  }

  private static Query filter(Query q, Optional<Expr> condition) {
    return condition.map(q::filter).orElse(q);
  }
}
