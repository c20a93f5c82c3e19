package io.github.infermetrics.cli.loadtest;

import java.util.Objects;

/**
 * One request's input: the text, what it is expected to cost in tokens, and how many tokens to ask for.
 *
 * @param text the prompt (a completion's {@code prompt}, a chat's one user message)
 * @param promptTokens the prompt's length in tokens as far as the client can tell (synthetic text is built to a
 *     length; file prompts are estimated at 4 characters a token); the server's {@code usage} replaces it
 * @param maxTokens the most output tokens to ask for ({@code max_tokens})
 * @param origin where it came from, for messages: {@code synthetic}, {@code prompts.jsonl:12}
 */
record Prompt(String text, int promptTokens, int maxTokens, String origin) {
  Prompt {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(origin, "origin");
    if (maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens must be at least 1: " + maxTokens);
    }
  }

  /**
   * The usual estimate of a text's tokens without its tokenizer: 4 characters a token (English), at least 1.
   *
   * @param text the text
   * @return the estimate
   */
  static int estimateTokens(String text) {
    return Math.max(1, (text.length() + 3) / 4);
  }
}
