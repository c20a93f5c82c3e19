package io.github.infermetrics.core.exposition;

/**
 * What {@link ExpositionParser#next()} found. Metadata events ({@link #HELP}, {@link #TYPE}, {@link #UNIT})
 * update the family that {@link ExpositionParser#familyName()} describes; {@link #SAMPLE} carries one sample line.
 */
public enum ExpositionEvent {
  /** A {@code # HELP} line: {@link ExpositionParser#familyHelp()} now holds the text. */
  HELP,
  /** A {@code # TYPE} line: {@link ExpositionParser#familyType()} now holds the type. */
  TYPE,
  /** An OpenMetrics {@code # UNIT} line: {@link ExpositionParser#familyUnit()} now holds the unit. */
  UNIT,
  /** A sample line: name, labels, value, optional timestamp and optional exemplar. */
  SAMPLE,
  /** The end of the exposition: every check has passed. Further calls keep returning {@code END}. */
  END
}
