package io.github.infermetrics.core.fuzz;

import io.github.infermetrics.core.exposition.ExpositionParser;
import java.util.Arrays;

/**
 * One sample as the parser reported it, detached from the parser's buffers, for the round-trip comparison.
 * Exemplars are left out: the 0.0.4 text they are re-rendered as has none.
 */
record ParsedSample(String name, String[] labelNames, String[] labelValues, double value, boolean hasTimestamp,
    long timestampMillis) {

  static ParsedSample of(ExpositionParser p) {
    int n = p.labelCount();
    String[] names = new String[n];
    String[] values = new String[n];
    for (int i = 0; i < n; i++) {
      names[i] = p.labelName(i);
      values[i] = p.labelValue(i).toString();
    }
    return new ParsedSample(p.name(), names, values, p.value(), p.hasTimestamp(),
        p.hasTimestamp() ? p.timestampMillis() : 0);
  }

  // Arrays and NaN need value semantics: Double.compare treats every NaN as equal and -0.0 apart from 0.0.
  @Override
  public boolean equals(Object o) {
    return o instanceof ParsedSample s && name.equals(s.name) && Arrays.equals(labelNames, s.labelNames)
        && Arrays.equals(labelValues, s.labelValues) && Double.compare(value, s.value) == 0
        && hasTimestamp == s.hasTimestamp && timestampMillis == s.timestampMillis;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(labelValues);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(name).append('{');
    for (int i = 0; i < labelNames.length; i++) {
      sb.append(i > 0 ? "," : "").append(labelNames[i]).append("=\"").append(labelValues[i]).append('"');
    }
    sb.append("} ").append(value);
    return hasTimestamp ? sb.append(' ').append(timestampMillis).toString() : sb.toString();
  }
}
