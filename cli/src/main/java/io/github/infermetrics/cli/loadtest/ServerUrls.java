package io.github.infermetrics.cli.loadtest;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.Optional;

/**
 * The endpoints of an OpenAI-compatible server, from the URL the user gave: the server's root
 * ({@code http://host:8000}), its API root ({@code http://host:8000/v1}) or an endpoint itself
 * ({@code http://host:8000/v1/chat/completions}, which also says which API to use).
 *
 * @param completions {@code .../v1/completions}
 * @param chat {@code .../v1/chat/completions}
 * @param models {@code .../v1/models}
 * @param metrics the server root's {@code /metrics}, where vLLM, SGLang and TGI serve their metrics
 * @param named the API the URL named by its path, if it did
 */
record ServerUrls(URI completions, URI chat, URI models, URI metrics, Optional<OpenAiClient.Api> named) {
  ServerUrls {
    Objects.requireNonNull(completions, "completions");
    Objects.requireNonNull(chat, "chat");
    Objects.requireNonNull(models, "models");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(named, "named");
  }

  /**
   * Reads the server's URL.
   *
   * @param url an absolute http(s) URL
   * @return its endpoints
   * @throws IllegalArgumentException when it has a query or a fragment, which an API root cannot have
   */
  static ServerUrls of(URI url) {
    if (url.getRawQuery() != null || url.getRawFragment() != null) {
      throw new IllegalArgumentException("the server URL " + url + " has a query or fragment; give its root, for"
          + " example http://localhost:8000");
    }
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    Optional<OpenAiClient.Api> named = Optional.empty();
    String root;
    if (path.endsWith("/chat/completions")) {
      named = Optional.of(OpenAiClient.Api.CHAT);
      root = path.substring(0, path.length() - "/chat/completions".length());
    } else if (path.endsWith("/completions")) {
      named = Optional.of(OpenAiClient.Api.COMPLETIONS);
      root = path.substring(0, path.length() - "/completions".length());
    } else if (path.endsWith("/v1")) {
      root = path;
    } else {
      root = path + "/v1";
    }
    return new ServerUrls(with(url, root + "/completions"), with(url, root + "/chat/completions"),
        with(url, root + "/models"), with(url, "/metrics"), named);
  }

  /**
   * The endpoint of an API.
   *
   * @param api the API
   * @return its URL
   */
  URI endpoint(OpenAiClient.Api api) {
    return api == OpenAiClient.Api.CHAT ? chat : completions;
  }

  private static URI with(URI url, String path) {
    try {
      return new URI(url.getScheme(), url.getRawAuthority(), null, null, null).resolve(path);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a server URL: " + url + ": " + e.getReason());
    }
  }
}
