package io.github.infermetrics.core.exposition;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.github.infermetrics.core.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Test helpers: the ways to configure a parser, a parser drained into readable lines, and the shared captures cut
 * into metric families to build expositions from.
 */
final class Expositions {
  private Expositions() {}

  /** Every way to configure a parser's reading: each format, lenient and strict, each bad-line policy. */
  static Stream<Arguments> configurations() {
    List<Arguments> out = new ArrayList<>();
    for (ExpositionFormat format : ExpositionFormat.values()) {
      for (boolean strict : new boolean[] {false, true}) {
        for (BadLinePolicy policy : BadLinePolicy.values()) {
          out.add(Arguments.of(format, strict, policy));
        }
      }
    }
    return out.stream();
  }

  /**
   * The files under the given directories of {@code ../shared} (the test is skipped without it), each directory's in
   * path order.
   */
  static List<Path> sharedFiles(String... dirs) throws IOException {
    List<Path> files = new ArrayList<>();
    for (String dir : dirs) {
      try (Stream<Path> walk = Files.walk(SharedData.dir(dir))) {
        walk.filter(Files::isRegularFile).sorted().forEach(files::add);
      }
    }
    return files;
  }

  /**
   * The shared captures ({@code ../shared/fixtures}, in path order) cut into blocks that each start at a HELP line
   * (the first block of a file at its first line): a family's metadata and samples, to reorder, drop or edit.
   */
  static List<List<String>> fixtureBlocks() throws IOException {
    List<List<String>> blocks = new ArrayList<>();
    for (Path file : sharedFiles("fixtures")) {
      List<String> block = null;
      for (String line : new String(Files.readAllBytes(file), UTF_8).split("\n")) {
        if (line.startsWith("# HELP") || block == null) {
          block = new ArrayList<>();
          blocks.add(block);
        }
        block.add(line);
      }
    }
    return blocks;
  }

  /** Blocks of lines as one exposition: each line with its line feed, and {@code # EOF} for OpenMetrics. */
  static byte[] join(List<List<String>> blocks, ExpositionFormat format) {
    StringBuilder sb = new StringBuilder();
    for (List<String> block : blocks) {
      for (String line : block) {
        sb.append(line).append('\n');
      }
    }
    if (format == ExpositionFormat.OPENMETRICS) {
      sb.append("# EOF\n");
    }
    return sb.toString().getBytes(UTF_8);
  }

  /** Parses everything and returns the number of samples. */
  static long drain(ExpositionParser p) {
    long n = 0;
    for (ExpositionEvent e; (e = p.next()) != ExpositionEvent.END; ) {
      if (e == ExpositionEvent.SAMPLE) {
        n++;
      }
    }
    return n;
  }

  /** One line per event, e.g. {@code SAMPLE a_total{foo="bar"} 1.0 @123 [counter a VALUE]}. */
  static List<String> events(ExpositionParser p) {
    List<String> out = new ArrayList<>();
    for (ExpositionEvent e; (e = p.next()) != ExpositionEvent.END; ) {
      out.add(describe(p, e));
    }
    return out;
  }

  /**
   * Everything a parser, already reset, says of its input: each event described (a sample with its value's bits,
   * line and label values), the counts at the end, the last skipped line's error, or the error that stopped it, with
   * its location. Two parsers that read an input the same way give equal transcripts.
   */
  static List<String> transcript(ExpositionParser p) {
    List<String> out = new ArrayList<>();
    try {
      for (ExpositionEvent e; (e = p.next()) != ExpositionEvent.END; ) {
        String d = describe(p, e);
        if (e == ExpositionEvent.SAMPLE) {
          d += " bits=" + Long.toHexString(Double.doubleToRawLongBits(p.value())) + " line=" + p.lineNumber();
          for (int i = 0; i < p.labelCount(); i++) {
            d += " " + p.labelValueString(i);
          }
        }
        out.add(d);
      }
      out.add("END skipped=" + p.skippedLines() + " samples=" + p.sampleCount() + " families=" + p.familyCount());
      ExpositionParseException last = p.lastSkippedError();
      if (last != null) {
        out.add("last skipped " + describe(last));
      }
    } catch (ExpositionParseException e) {
      out.add("ERROR " + describe(e));
    }
    return out;
  }

  /** An error with its reason, location and the limit it names. */
  static String describe(ExpositionParseException e) {
    return e.reason() + " @" + e.line() + ":" + e.column() + " offset " + e.byteOffset() + " limit " + e.limit();
  }

  static String describe(ExpositionParser p, ExpositionEvent e) {
    switch (e) {
      case HELP:
        return "HELP " + p.familyName() + " " + p.familyHelp();
      case TYPE:
        return "TYPE " + p.familyName() + " " + p.familyType();
      case UNIT:
        return "UNIT " + p.familyName() + " " + p.familyUnit();
      default:
        break;
    }
    StringBuilder sb = new StringBuilder("SAMPLE ").append(p.name());
    if (p.labelCount() > 0) {
      sb.append('{');
      for (int i = 0; i < p.labelCount(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(p.labelName(i)).append("=\"").append(p.labelValue(i)).append('"');
      }
      sb.append('}');
    }
    sb.append(' ').append(p.value());
    if (p.hasTimestamp()) {
      sb.append(" @").append(p.timestampMillis());
    }
    if (p.hasExemplar()) {
      sb.append(" # {");
      for (int i = 0; i < p.exemplarLabelCount(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(p.exemplarLabelName(i)).append("=\"").append(p.exemplarLabelValue(i)).append('"');
      }
      sb.append("} ").append(p.exemplarValue());
      if (p.exemplarHasTimestamp()) {
        sb.append(" @").append(p.exemplarTimestampMillis());
      }
    }
    sb.append(" [").append(p.familyName()).append(' ').append(p.familyType()).append(' ').append(p.kind())
        .append(']');
    return sb.toString();
  }
}
