package io.github.infermetrics.cloudwatch.insights;

import io.github.infermetrics.cloudwatch.insights.internal.QueryText;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The log groups a {@code SOURCE logGroups(...)} command selects, instead of naming them in the StartQuery request:
 * up to 5 name prefixes, optionally in up to 20 accounts and of one log class. It may select up to 10,000 log
 * groups; the API and CLI accept it, the console does not.
 *
 * @param namePrefixes 1 to 5 log group name prefixes
 * @param accountIdentifiers up to 20 12-digit account ids; empty for the caller's account
 * @param logClass {@code STANDARD} or {@code INFREQUENT_ACCESS}, or empty for both
 * @since 0.1
 */
public record LogGroupSelection(List<String> namePrefixes, List<String> accountIdentifiers,
    Optional<String> logClass) {
  /** Most name prefixes in one {@code SOURCE}. */
  public static final int MAX_PREFIXES = 5;
  /** Most accounts in one {@code SOURCE}. */
  public static final int MAX_ACCOUNTS = 20;
  private static final Pattern LOG_GROUP = Pattern.compile("[A-Za-z0-9._/#-]{1,512}");
  private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");

  /**
   * Validates.
   *
   * @param namePrefixes 1 to 5 prefixes of log group names (letters, digits, {@code . _ - / #})
   * @param accountIdentifiers up to 20 12-digit account ids
   * @param logClass {@code STANDARD}, {@code INFREQUENT_ACCESS} or empty
   * @throws IllegalArgumentException naming the component that breaks a rule
   */
  public LogGroupSelection {
    namePrefixes = List.copyOf(namePrefixes);
    accountIdentifiers = List.copyOf(accountIdentifiers);
    if (namePrefixes.isEmpty() || namePrefixes.size() > MAX_PREFIXES) {
      throw new IllegalArgumentException("namePrefixes: 1 to " + MAX_PREFIXES + " prefixes, got "
          + namePrefixes.size());
    }
    for (String p : namePrefixes) {
      if (!LOG_GROUP.matcher(p).matches()) {
        throw new IllegalArgumentException("namePrefixes: not a log group name prefix: '" + p + "'");
      }
    }
    if (accountIdentifiers.size() > MAX_ACCOUNTS) {
      throw new IllegalArgumentException("accountIdentifiers: at most " + MAX_ACCOUNTS + ", got "
          + accountIdentifiers.size());
    }
    for (String a : accountIdentifiers) {
      if (!ACCOUNT.matcher(a).matches()) {
        throw new IllegalArgumentException("accountIdentifiers: not a 12-digit account id: '" + a + "'");
      }
    }
    if (logClass.isPresent() && !logClass.get().equals("STANDARD") && !logClass.get().equals("INFREQUENT_ACCESS")) {
      throw new IllegalArgumentException("logClass: STANDARD or INFREQUENT_ACCESS, got '" + logClass.get() + "'");
    }
  }

  /**
   * Log groups whose names start with these prefixes, in this account, of any class.
   *
   * @param namePrefixes 1 to 5 prefixes
   * @return the selection
   */
  public static LogGroupSelection prefixes(String... namePrefixes) {
    return new LogGroupSelection(List.of(namePrefixes), List.of(), Optional.empty());
  }

  void appendTo(StringBuilder sb) {
    sb.append("SOURCE logGroups(namePrefix:");
    list(sb, namePrefixes);
    if (!accountIdentifiers.isEmpty()) {
      sb.append(", accountIdentifiers:");
      list(sb, accountIdentifiers);
    }
    logClass.ifPresent(c -> {
      sb.append(", class:");
      list(sb, List.of(c));
    });
    sb.append(')');
  }

  private static void list(StringBuilder sb, List<String> values) {
    sb.append('[');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      QueryText.appendString(sb, values.get(i), '\'');
    }
    sb.append(']');
  }
}
