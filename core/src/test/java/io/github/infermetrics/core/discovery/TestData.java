package io.github.infermetrics.core.discovery;

import io.github.infermetrics.core.snapshot.Labels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Test helpers: data files under /discovery and a label-set notation, {a="1",b="x\"y"}. */
final class TestData {
  private TestData() {}

  static Path dir(String name) {
    try {
      return Path.of(TestData.class.getResource("/discovery/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The non-comment lines of a tab-separated case file, split. */
  static List<String[]> cases(Path file) {
    try {
      return Files.readAllLines(file).stream()
          .filter(l -> !l.isBlank() && !l.startsWith("#"))
          .map(l -> l.split("\t"))
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses {a="1",b="2"} with \" \\ \n escapes in values. */
  static Labels labels(String s) {
    s = s.strip();
    if (!s.startsWith("{") || !s.endsWith("}")) {
      throw new IllegalArgumentException("not a label set: " + s);
    }
    List<String> pairs = new ArrayList<>();
    int i = 1;
    int end = s.length() - 1;
    while (i < end) {
      int eq = s.indexOf('=', i);
      pairs.add(s.substring(i, eq));
      int k = eq + 2; // past ="
      StringBuilder v = new StringBuilder();
      while (s.charAt(k) != '"') {
        char c = s.charAt(k);
        if (c == '\\') {
          char e = s.charAt(++k);
          v.append(e == 'n' ? '\n' : e);
        } else {
          v.append(c);
        }
        k++;
      }
      pairs.add(v.toString());
      i = k + 1;
      if (i < end && s.charAt(i) == ',') {
        i++;
      }
    }
    return Labels.of(pairs.toArray(new String[0]));
  }
}
