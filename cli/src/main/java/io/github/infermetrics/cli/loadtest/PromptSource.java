package io.github.infermetrics.cli.loadtest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Where a run's prompts come from, drawn in an order fixed by the seed. Called from the arrival thread only.
 */
interface PromptSource {
  /**
   * The next prompt.
   *
   * @return a prompt
   */
  Prompt next();

  /**
   * What it is, for the report: {@code synthetic 512..1024 in, 128 out}, {@code sharegpt.json: 9876 prompts}.
   *
   * @return the description
   */
  String describe();

  /**
   * Synthetic prompts of a given length from the seed. The text is words of three letters after a space, which are
   * one token each in the BPE vocabularies of the common models (and exactly one in the simulators, which count 4
   * characters a token), so that {@code --input-tokens 512} sends about 512 tokens. Each prompt is different, so a
   * prefix cache does not make the test easier than real traffic.
   *
   * @param input prompt lengths
   * @param output output lengths asked for
   * @param seed the seed
   * @return the source
   */
  static PromptSource synthetic(TokenLengths input, TokenLengths output, long seed) {
    return new Synthetic(input, output, new Random(seed));
  }

  /**
   * Prompts from a file, visited in an order shuffled by the seed, then again in another order, and so on.
   *
   * @param prompts the prompts, at least one
   * @param description what they are
   * @param seed the seed
   * @return the source
   */
  static PromptSource cycling(List<Prompt> prompts, String description, long seed) {
    return new Cycling(prompts, description, new Random(seed));
  }

  /** Synthetic text. */
  final class Synthetic implements PromptSource {
    /** Three-letter words; with the space before each, 4 characters a token. */
    private static final String[] WORDS = {"the", "and", "for", "are", "but", "not", "you", "all", "any", "can",
        "had", "her", "was", "one", "our", "out", "day", "get", "has", "him", "his", "how", "man", "new", "now",
        "old", "see", "two", "way", "who", "boy", "did", "its", "let", "put", "say", "she", "too", "use", "sun",
        "sky", "sea", "red", "map", "key", "job", "art", "car", "dog", "cat", "box", "run", "big", "end", "far"};
    private final TokenLengths input;
    private final TokenLengths output;
    private final Random random;

    Synthetic(TokenLengths input, TokenLengths output, Random random) {
      this.input = input;
      this.output = output;
      this.random = random;
    }

    @Override
    public Prompt next() {
      int tokens = input.sample(random);
      StringBuilder sb = new StringBuilder(tokens * 4);
      for (int i = 0; i < tokens; i++) {
        if (i > 0) {
          sb.append(' ');
        }
        sb.append(WORDS[random.nextInt(WORDS.length)]);
      }
      return new Prompt(sb.toString(), tokens, output.sample(random), "synthetic");
    }

    @Override
    public String describe() {
      return "synthetic: " + input + " prompt tokens, " + output + " output tokens";
    }
  }

  /** A list visited in shuffled rounds. */
  final class Cycling implements PromptSource {
    private final List<Prompt> prompts;
    private final String description;
    private final Random random;
    private final List<Prompt> round = new ArrayList<>();
    private int next;

    Cycling(List<Prompt> prompts, String description, Random random) {
      if (prompts.isEmpty()) {
        throw new IllegalArgumentException("no prompts");
      }
      this.prompts = List.copyOf(prompts);
      this.description = description;
      this.random = random;
    }

    @Override
    public Prompt next() {
      if (next == round.size()) {
        round.clear();
        round.addAll(prompts);
        Collections.shuffle(round, random);
        next = 0;
      }
      return round.get(next++);
    }

    @Override
    public String describe() {
      return description;
    }
  }
}
