package io.github.infermetrics.cloudwatch.insights;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for the Logs Insights builder's escaping: the properties of {@link InjectionPropertiesTest} (its
 * lexer finds exactly the tokens the builder meant, and the strings and names decode to the values passed in),
 * driven by coverage-guided inputs instead of jqwik's random ones.
 */
class InsightsEscapingFuzzTest {
  private final InjectionPropertiesTest properties = new InjectionPropertiesTest();

  @FuzzTest
  void userValuesKeepTheQueryStructure(FuzzedDataProvider data) {
    String field = data.consumeString(64);
    String text = data.consumeString(64);
    String regex = data.consumeString(64);
    String glob = data.consumeRemainingAsString();
    if (field.isEmpty() || text.isEmpty() || regex.isEmpty()) {
      return; // the builder's own checks for empty values are covered by QueryTest
    }
    properties.valuesCannotChangeTheStructure(field, text, regex);
    if (!glob.isEmpty()) {
      properties.globsAndAliasesStayInTheirTokens(glob);
    }
  }
}
