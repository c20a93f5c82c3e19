package io.github.infermetrics.cli.loadtest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Prompt files: JSONL (one {@code {"prompt": "...", "max_tokens": 128}} per line) and ShareGPT (a JSON array of
 * {@code {"conversations": [{"from": "human", "value": ...}, {"from": "gpt", "value": ...}, ...]}}, as
 * {@code vllm bench serve --dataset-name sharegpt} reads it). Files are streamed, and at most a given number of
 * prompts is kept, drawn uniformly over the file from the seed (reservoir sampling), so the 650 MB ShareGPT file
 * needs little memory.
 */
final class PromptFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PromptFiles() {}

  /** A prompt file that cannot be used: the message names the file and line. */
  static final class BadFile extends Exception {
    private static final long serialVersionUID = 1L;

    BadFile(String message) {
      super(message);
    }
  }

  /**
   * Reads a JSONL file.
   *
   * @param file the file
   * @param output the output lengths for lines without {@code max_tokens}
   * @param maxPrompts the most to keep
   * @param seed the seed of the sample and of drawn output lengths
   * @return the prompts and what they are
   * @throws IOException when the file cannot be read
   * @throws BadFile when a line is not a prompt, or there is none
   */
  static PromptSource jsonl(Path file, TokenLengths output, int maxPrompts, long seed) throws IOException, BadFile {
    Reservoir keep = new Reservoir(maxPrompts, seed);
    Random lengths = new Random(seed ^ 0x5DEECE66DL);
    int lineNumber = 0;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line; (line = in.readLine()) != null; ) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        String where = file + ":" + lineNumber;
        JsonNode n;
        try {
          n = JSON.readTree(line);
        } catch (JsonProcessingException e) {
          throw new BadFile(where + ": not JSON (" + e.getOriginalMessage() + "); each line is one object such as"
              + " {\"prompt\": \"...\", \"max_tokens\": 128}");
        }
        JsonNode prompt = n.path("prompt");
        if (!n.isObject() || !prompt.isTextual() || prompt.asText().isEmpty()) {
          throw new BadFile(where + ": expected an object with a non-empty \"prompt\" string, for example"
              + " {\"prompt\": \"...\", \"max_tokens\": 128}");
        }
        JsonNode max = n.has("max_tokens") ? n.get("max_tokens") : n.get("output_tokens");
        int maxTokens;
        if (max == null || max.isNull()) {
          maxTokens = output.sample(lengths);
        } else if (max.canConvertToInt() && max.isIntegralNumber() && max.asInt() >= 1) {
          maxTokens = max.asInt();
        } else {
          throw new BadFile(where + ": \"max_tokens\" must be a whole number of at least 1, got " + max);
        }
        String text = prompt.asText();
        keep.offer(new Prompt(text, Prompt.estimateTokens(text), maxTokens, where));
      }
    }
    if (keep.seen() == 0) {
      throw new BadFile(file + ": no prompt in the file (one JSON object per line, with \"prompt\")");
    }
    return PromptSource.cycling(keep.kept(), file.getFileName() + ": " + keep.describe() + " JSONL prompts",
        seed);
  }

  /**
   * Reads a ShareGPT file: the first turn of each conversation is the prompt, the second says how long the answer
   * is (its estimated tokens) unless output lengths are given. As {@code vllm bench serve}, conversations with
   * fewer than two turns are skipped, and so are prompts or answers under 4 tokens, prompts over 1024 and pairs over
   * 2048 (with 4 characters a token instead of the model's tokenizer).
   *
   * @param file the file
   * @param output output lengths to ask for instead of the answers' lengths, or null
   * @param maxPrompts the most to keep
   * @param seed the seed of the sample
   * @return the prompts and what they are
   * @throws IOException when the file cannot be read
   * @throws BadFile when it is not a ShareGPT file, or no conversation is usable
   */
  static PromptSource shareGpt(Path file, TokenLengths output, int maxPrompts, long seed)
      throws IOException, BadFile {
    Reservoir keep = new Reservoir(maxPrompts, seed);
    Random lengths = new Random(seed ^ 0x5DEECE66DL);
    int conversations = 0;
    try (InputStream in = Files.newInputStream(file); JsonParser p = new JsonFactory().createParser(in)) {
      p.setCodec(JSON);
      try {
        if (p.nextToken() != JsonToken.START_ARRAY) {
          throw new BadFile(file + ":" + p.currentLocation().getLineNr() + ": a ShareGPT file is a JSON array of"
              + " {\"conversations\": [...]} objects");
        }
        for (JsonToken t; (t = p.nextToken()) != JsonToken.END_ARRAY; ) {
          long line = p.currentLocation().getLineNr();
          if (t != JsonToken.START_OBJECT) {
            throw new BadFile(file + ":" + line + ": expected a {\"conversations\": [...]} object, got " + t);
          }
          JsonNode entry = p.readValueAsTree();
          conversations++;
          JsonNode turns = entry.path("conversations");
          if (!turns.isArray()) {
            throw new BadFile(file + ":" + line + ": the entry has no \"conversations\" array");
          }
          if (turns.size() < 2 || !turns.get(0).path("value").isTextual()
              || !turns.get(1).path("value").isTextual()) {
            continue;
          }
          String prompt = turns.get(0).get("value").asText();
          int promptTokens = Prompt.estimateTokens(prompt);
          int answerTokens = Prompt.estimateTokens(turns.get(1).get("value").asText());
          if (promptTokens < 4 || answerTokens < 4 || promptTokens > 1024 || promptTokens + answerTokens > 2048) {
            continue;
          }
          keep.offer(new Prompt(prompt, promptTokens, output != null ? output.sample(lengths) : answerTokens,
              file.getFileName() + ":" + line));
        }
      } catch (JsonProcessingException e) {
        throw new BadFile(file + ":" + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ": not JSON ("
            + e.getOriginalMessage() + ")");
      }
    }
    if (keep.seen() == 0) {
      throw new BadFile(file + ": none of its " + conversations + " conversations has a usable first exchange");
    }
    return PromptSource.cycling(keep.kept(), file.getFileName() + ": " + keep.describe() + " of " + conversations
        + " ShareGPT conversations", seed);
  }

  /** Keeps a uniform sample of at most {@code size} prompts of a stream of unknown length (algorithm R). */
  private static final class Reservoir {
    private final int size;
    private final Random random;
    private final List<Prompt> kept = new ArrayList<>();
    private long seen;

    Reservoir(int size, long seed) {
      this.size = size;
      this.random = new Random(seed);
    }

    void offer(Prompt p) {
      seen++;
      if (kept.size() < size) {
        kept.add(p);
      } else {
        long j = (long) (random.nextDouble() * seen);
        if (j < size) {
          kept.set((int) j, p);
        }
      }
    }

    long seen() {
      return seen;
    }

    List<Prompt> kept() {
      return kept;
    }

    String describe() {
      return seen > kept.size() ? kept.size() + " sampled of " + seen : String.valueOf(seen);
    }
  }
}
