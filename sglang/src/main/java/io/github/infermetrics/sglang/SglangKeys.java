package io.github.infermetrics.sglang;

import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.snapshot.Labels;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps SGLang's labels onto KPI dimensions: {@code model_name} becomes {@code model}; a scheduler's {@code dp_rank}
 * becomes {@code engine} (its data-parallel replica, as vLLM's {@code engine} is), {@code "0"} when the server runs
 * one replica and has no {@code dp_rank}; {@code tp_rank} and {@code pp_rank} stay as they are. Other labels
 * ({@code engine_type}, {@code moe_ep_rank}, {@code priority}, custom ones) are summed over.
 */
final class SglangKeys {
  static final String MODEL_NAME = "model_name";
  static final String DP_RANK = "dp_rank";
  /** The label names that identify a series' model and scheduler rank. */
  static final String[] RANK_LABELS = {MODEL_NAME, DP_RANK, SglangKpis.TP_RANK, SglangKpis.PP_RANK};

  private SglangKeys() {}

  /** The model key of a series: {@code model}, or empty when it has no model name. */
  static Labels model(Labels raw) {
    String model = nonEmpty(raw.get(MODEL_NAME));
    return model == null ? Labels.EMPTY : Labels.of(KpiDimension.MODEL, model);
  }

  /**
   * The rank key of a scheduler series: model, engine, tp_rank and pp_rank; the model key for a release that
   * labels schedulers with the model only.
   */
  static Labels rank(Labels raw) {
    String dp = nonEmpty(raw.get(DP_RANK));
    String tp = nonEmpty(raw.get(SglangKpis.TP_RANK));
    String pp = nonEmpty(raw.get(SglangKpis.PP_RANK));
    if (dp == null && tp == null && pp == null) {
      return model(raw);
    }
    List<String> pairs = new ArrayList<>(8);
    String model = nonEmpty(raw.get(MODEL_NAME));
    if (model != null) {
      pairs.add(KpiDimension.MODEL);
      pairs.add(model);
    }
    pairs.add(KpiDimension.ENGINE);
    pairs.add(dp == null ? "0" : dp);
    if (tp != null) {
      pairs.add(SglangKpis.TP_RANK);
      pairs.add(tp);
    }
    if (pp != null) {
      pairs.add(SglangKpis.PP_RANK);
      pairs.add(pp);
    }
    return Labels.of(pairs.toArray(new String[0]));
  }

  /** The data-parallel replica a rank key belongs to: model and engine. */
  static Labels engine(Labels rankKey) {
    return rankKey.without(SglangKpis.TP_RANK).without(SglangKpis.PP_RANK);
  }

  /** The model a rank or engine key belongs to. */
  static Labels modelOf(Labels key) {
    return key.without(KpiDimension.ENGINE).without(SglangKpis.TP_RANK).without(SglangKpis.PP_RANK);
  }

  /** Whether a key is a scheduler rank's (not a model's). */
  static boolean isRank(Labels key) {
    return key.contains(KpiDimension.ENGINE);
  }

  private static String nonEmpty(String v) {
    return v == null || v.isEmpty() ? null : v;
  }
}
