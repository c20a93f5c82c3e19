package io.github.infermetrics.cli.simulate;

import java.util.List;
import java.util.Map;

/**
 * A generation request as the simulated servers read it: OpenAI completions ({@code prompt}, {@code max_tokens}),
 * OpenAI chat completions ({@code messages}) and TGI's {@code /generate} ({@code inputs},
 * {@code parameters.max_new_tokens}). A prompt's length in tokens is one token per 4 characters (the usual rule of
 * thumb for English) or the length of a token-id array.
 */
final class RequestBody {
  final int promptTokens;
  final int maxTokens;
  final boolean stream;
  final boolean includeUsage;

  private RequestBody(int promptTokens, int maxTokens, boolean stream, boolean includeUsage) {
    this.promptTokens = promptTokens;
    this.maxTokens = maxTokens;
    this.stream = stream;
    this.includeUsage = includeUsage;
  }

  /** A request the server refuses, with its HTTP status and a message naming the JSON path. */
  static final class Rejected extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    Rejected(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  /**
   * {@code POST /v1/completions}.
   *
   * @param servedModel the model a {@code model} field must name, or null to accept any (TGI ignores it)
   */
  static RequestBody completion(String body, String servedModel, int maxModelLen, int defaultMaxTokens)
      throws Rejected {
    Map<?, ?> m = object(body);
    model(m, servedModel);
    int prompt = promptTokens(m.get("prompt"), "$.prompt");
    return openAi(m, prompt, "max_tokens", maxModelLen, defaultMaxTokens);
  }

  /** {@code POST /v1/chat/completions}: the prompt is the messages' text. */
  static RequestBody chat(String body, String servedModel, int maxModelLen, int defaultMaxTokens) throws Rejected {
    Map<?, ?> m = object(body);
    model(m, servedModel);
    Object messages = m.get("messages");
    if (!(messages instanceof List) || ((List<?>) messages).isEmpty()) {
      throw new Rejected(422, "$.messages: expected a non-empty array");
    }
    int chars = 0;
    List<?> list = (List<?>) messages;
    for (int i = 0; i < list.size(); i++) {
      Object content = list.get(i) instanceof Map ? ((Map<?, ?>) list.get(i)).get("content") : null;
      if (!(content instanceof String)) {
        throw new Rejected(422, "$.messages[" + i + "].content: expected a string");
      }
      chars += ((String) content).length();
    }
    String key = m.containsKey("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
    return openAi(m, Math.max(1, (chars + 3) / 4), key, maxModelLen, defaultMaxTokens);
  }

  /** TGI's {@code POST /generate} and {@code /generate_stream}. */
  static RequestBody generate(String body, int maxModelLen, int defaultMaxTokens, boolean stream) throws Rejected {
    Map<?, ?> m = object(body);
    Object inputs = m.get("inputs");
    if (!(inputs instanceof String) || ((String) inputs).isEmpty()) {
      throw new Rejected(422, "$.inputs: expected a non-empty string");
    }
    int maxTokens = defaultMaxTokens;
    Object parameters = m.get("parameters");
    if (parameters instanceof Map) {
      Object n = ((Map<?, ?>) parameters).get("max_new_tokens");
      if (n != null) {
        maxTokens = positiveInt(n, "$.parameters.max_new_tokens");
      }
    } else if (parameters != null) {
      throw new Rejected(422, "$.parameters: expected an object");
    }
    int prompt = (((String) inputs).length() + 3) / 4;
    checkLength(prompt, maxTokens, maxModelLen);
    return new RequestBody(prompt, maxTokens, stream, false);
  }

  private static RequestBody openAi(Map<?, ?> m, int prompt, String maxKey, int maxModelLen, int defaultMaxTokens)
      throws Rejected {
    int maxTokens = defaultMaxTokens;
    Object mt = m.get(maxKey);
    if (mt != null) {
      maxTokens = positiveInt(mt, "$." + maxKey);
    }
    Object n = m.get("n");
    if (n != null && !Double.valueOf(1).equals(n)) {
      throw new Rejected(400, "$.n: the simulator serves n=1 only, got " + n);
    }
    Object stream = m.get("stream");
    if (stream != null && !(stream instanceof Boolean)) {
      throw new Rejected(400, "$.stream: expected true or false");
    }
    boolean includeUsage = false;
    Object options = m.get("stream_options");
    if (options instanceof Map) {
      Object iu = ((Map<?, ?>) options).get("include_usage");
      if (iu != null && !(iu instanceof Boolean)) {
        throw new Rejected(400, "$.stream_options.include_usage: expected true or false");
      }
      includeUsage = Boolean.TRUE.equals(iu);
    } else if (options != null) {
      throw new Rejected(400, "$.stream_options: expected an object");
    }
    checkLength(prompt, maxTokens, maxModelLen);
    return new RequestBody(prompt, maxTokens, Boolean.TRUE.equals(stream), includeUsage);
  }

  private static Map<?, ?> object(String body) throws Rejected {
    Object doc;
    try {
      doc = JsonReader.read(body);
    } catch (IllegalArgumentException e) {
      throw new Rejected(400, e.getMessage());
    }
    if (!(doc instanceof Map)) {
      throw new Rejected(400, "$: expected a JSON object");
    }
    return (Map<?, ?>) doc;
  }

  private static void model(Map<?, ?> m, String servedModel) throws Rejected {
    Object model = m.get("model");
    if (model != null && !(model instanceof String)) {
      throw new Rejected(400, "$.model: expected a string");
    }
    if (servedModel != null && model != null && !model.equals(servedModel)) {
      throw new Rejected(404, "The model `" + model + "` does not exist.");
    }
  }

  private static int positiveInt(Object v, String path) throws Rejected {
    if (!(v instanceof Double) || (Double) v != Math.rint((Double) v) || (Double) v < 1
        || (Double) v > Integer.MAX_VALUE) {
      throw new Rejected(400, path + ": expected an integer >= 1, got " + v);
    }
    return (int) (double) (Double) v;
  }

  private static void checkLength(int prompt, int maxTokens, int maxModelLen) throws Rejected {
    if ((long) prompt + maxTokens > maxModelLen) {
      throw new Rejected(400, "This model's maximum context length is " + maxModelLen + " tokens. However, you"
          + " requested " + ((long) prompt + maxTokens) + " tokens (" + prompt + " in the prompt, " + maxTokens
          + " in the completion).");
    }
  }

  private static int promptTokens(Object prompt, String path) throws Rejected {
    if (prompt instanceof String) {
      String s = (String) prompt;
      if (s.isEmpty()) {
        throw new Rejected(400, path + ": must not be empty");
      }
      return (s.length() + 3) / 4;
    }
    if (prompt instanceof List && !((List<?>) prompt).isEmpty()) {
      List<?> ids = (List<?>) prompt;
      for (int i = 0; i < ids.size(); i++) {
        if (!(ids.get(i) instanceof Double)) {
          throw new Rejected(400, path + "[" + i + "]: expected a token id; the simulator serves one prompt per"
              + " request");
        }
      }
      return ids.size();
    }
    throw new Rejected(400, path + ": expected a string or an array of token ids");
  }
}
