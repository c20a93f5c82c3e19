package io.github.infermetrics.cli.simulate;

import java.util.Random;

/** The text of simulated tokens: one English-looking word piece per token, drawn from the request's seed. */
final class TokenText {
  private static final String[] WORDS = {" the", " model", " serves", " tokens", " quickly", " and", " a",
      " request", " waits", " in", " queue", " for", " its", " turn", " on", " GPU", " cache", " blocks", " stream",
      " latency", " is", " low", " when", " load", " stays", " under", " capacity", ".", ",", " then", " it",
      " ends"};

  private TokenText() {}

  /** One token's text. */
  static String next(Random random) {
    return WORDS[random.nextInt(WORDS.length)];
  }
}
