package io.github.infermetrics.cli.loadtest;

import java.util.Random;

/**
 * A number of tokens per request, as {@code --input-tokens} and {@code --output-tokens} take it: {@code 512} (every
 * request), or {@code 128..1024} (uniform, each request drawing its own from the run's seed).
 *
 * @param min the fewest
 * @param max the most, at least {@code min}
 */
record TokenLengths(int min, int max) {
  /** Longer prompts than this are a typo, and would not fit any model's context. */
  static final int MOST = 10_000_000;

  TokenLengths {
    if (min < 1 || max < min) {
      throw new IllegalArgumentException("token lengths: 1 <= min <= max, got " + min + ".." + max);
    }
  }

  /**
   * Reads {@code N} or {@code MIN..MAX}.
   *
   * @param flag the option, for messages
   * @param text what the user wrote
   * @return the lengths
   * @throws IllegalArgumentException naming the flag
   */
  static TokenLengths parse(String flag, String text) {
    String t = text == null ? "" : text.strip();
    int dots = t.indexOf("..");
    try {
      int min = Integer.parseInt(dots < 0 ? t : t.substring(0, dots).strip());
      int max = dots < 0 ? min : Integer.parseInt(t.substring(dots + 2).strip());
      if (min < 1 || max > MOST) {
        throw new IllegalArgumentException(flag + ": tokens must be 1 to " + MOST + ", got '" + t + "'");
      }
      if (max < min) {
        throw new IllegalArgumentException(flag + ": '" + t + "' goes down; write MIN..MAX");
      }
      return new TokenLengths(min, max);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + ": expected N or MIN..MAX tokens, for example 512 or 128..1024,"
          + " got '" + t + "'");
    }
  }

  /**
   * Draws one length.
   *
   * @param random the run's generator
   * @return from min to max, both included
   */
  int sample(Random random) {
    return min == max ? min : min + random.nextInt(max - min + 1);
  }

  @Override
  public String toString() {
    return min == max ? String.valueOf(min) : min + ".." + max;
  }
}
