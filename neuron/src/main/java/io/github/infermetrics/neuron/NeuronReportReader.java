package io.github.infermetrics.neuron;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.CharConversionException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads the newline-delimited reports that {@code neuron-monitor} prints, from any {@link InputStream}: a child
 * process's stdout, a file, a socket, {@code System.in}.
 *
 * <pre>{@code
 * try (NeuronReportReader reader = NeuronReportReader.builder()
 *     .onError(e -> System.err.println("skipped " + e.getMessage()))
 *     .build(process.getInputStream())) {
 *   for (NeuronReport report : reader) {
 *     exporter.update(report);
 *   }
 * }
 * }</pre>
 *
 * <p>Each line is one report, parsed with Jackson's streaming parser. A line that is not a valid report (malformed
 * JSON, a field of the wrong type, a line longer than {@link Builder#maxLineBytes(int)}) goes to the error callback
 * as a {@link NeuronReportException} with its line number, column and JSON path, and is skipped: the stream goes on
 * with the next line. A last line without a line end is read like any other (a truncated one is reported). Blank
 * lines are ignored. Memory is bounded by the longest allowed line; the reader pulls from the stream only when asked
 * for the next report, so a slow consumer simply leaves the producer blocked on its pipe.
 *
 * <p>Not thread-safe. Without {@link Builder#onError}, errors are logged as warnings through
 * {@link System.Logger} {@code io.github.infermetrics.neuron}.
 */
public final class NeuronReportReader implements Iterable<NeuronReport>, Closeable {
  /** The default longest line, in bytes: far above a report of the largest instance (about 200 KB). */
  public static final int DEFAULT_MAX_LINE_BYTES = 8 * 1024 * 1024;

  static final ObjectMapper MAPPER = JsonMapper.builder().build();
  private static final System.Logger LOGGER = System.getLogger("io.github.infermetrics.neuron");

  private final InputStream in;
  private final int maxLineBytes;
  private final Consumer<NeuronReportException> onError;
  private final byte[] chunk = new byte[8192];
  private int chunkPos;
  private int chunkEnd;
  private byte[] line = new byte[8192];
  private int lineLen;
  private boolean eof;
  private long lineNumber;
  private long errors;
  private NeuronReport lookahead;

  private NeuronReportReader(InputStream in, int maxLineBytes, Consumer<NeuronReportException> onError) {
    this.in = Objects.requireNonNull(in, "in");
    this.maxLineBytes = maxLineBytes;
    this.onError = onError;
  }

  /**
   * Starts a reader configuration.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A reader with the defaults over a stream.
   *
   * @param in the stream; the reader closes it on {@link #close()}
   * @return the reader
   */
  public static NeuronReportReader of(InputStream in) {
    return builder().build(in);
  }

  /**
   * Reads one whole report (it may span lines, as a pretty-printed file does).
   *
   * @param json the UTF-8 JSON document
   * @return the report
   * @throws NeuronReportException when it is not a valid report; {@link NeuronReportException#line()} is then 0
   */
  public static NeuronReport parse(byte[] json) {
    return parse(json, 0, json.length);
  }

  /**
   * Reads one whole report.
   *
   * @param json the JSON document
   * @return the report
   * @throws NeuronReportException when it is not a valid report
   */
  public static NeuronReport parse(String json) {
    return parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static NeuronReport parse(byte[] json, int offset, int length) {
    JsonNode tree;
    try (JsonParser p = MAPPER.createParser(json, offset, length)) {
      try {
        tree = MAPPER.readTree(p);
        if (tree == null || tree.isMissingNode()) {
          throw new NeuronReportException(0, 0, "$", "no JSON document");
        }
        JsonToken extra = p.nextToken();
        if (extra != null) {
          JsonLocation at = p.currentTokenLocation();
          throw new NeuronReportException(0, at.getColumnNr(), "$", "unexpected " + extra.asString()
              + " after the end of the report");
        }
      } catch (JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String reason = e.getOriginalMessage();
        throw new NeuronReportException(0, at == null ? 0 : at.getColumnNr(), pathOf(p.getParsingContext()),
            reason);
      }
    } catch (CharConversionException e) {
      // Jackson guesses UTF-16 or UTF-32 from zero bytes at the start of a document and fails on what follows;
      // neuron-monitor writes UTF-8, so this is a bad report like any other, not an I/O failure of the stream
      throw new NeuronReportException(0, 0, "$", "not a UTF-8 JSON document: " + e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading a byte array cannot fail otherwise
    }
    return ReportDecoder.decode(tree);
  }

  /** {@code $.a.b[2].c} from Jackson's parsing context. */
  private static String pathOf(JsonStreamContext ctx) {
    StringBuilder sb = new StringBuilder();
    for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        sb.insert(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
      } else if (c.getCurrentName() != null) {
        sb.insert(0, "." + c.getCurrentName());
      }
    }
    return sb.insert(0, '$').toString();
  }

  /**
   * The next report, skipping (and reporting) bad lines.
   *
   * @return the report, or empty at the end of the stream
   * @throws UncheckedIOException when reading the stream fails
   */
  public Optional<NeuronReport> readNext() {
    if (lookahead != null) {
      NeuronReport r = lookahead;
      lookahead = null;
      return Optional.of(r);
    }
    while (readLine()) {
      if (isBlank()) {
        continue;
      }
      try {
        return Optional.of(parse(line, 0, lineLen));
      } catch (NeuronReportException e) {
        reportError(e.atLine(lineNumber));
      }
    }
    return Optional.empty();
  }

  /**
   * The reports that remain, one per good line.
   *
   * @return an iterator that reads lazily
   */
  @Override
  public Iterator<NeuronReport> iterator() {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        if (lookahead == null) {
          lookahead = readNext().orElse(null);
        }
        return lookahead != null;
      }

      @Override
      public NeuronReport next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        NeuronReport r = lookahead;
        lookahead = null;
        return r;
      }
    };
  }

  /**
   * Lines read so far, blank and bad ones included.
   *
   * @return the count
   */
  public long lines() {
    return lineNumber;
  }

  /**
   * Lines skipped as errors so far.
   *
   * @return the count
   */
  public long errors() {
    return errors;
  }

  /**
   * Closes the stream.
   *
   * @throws UncheckedIOException when closing fails
   */
  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void reportError(NeuronReportException e) {
    errors++;
    if (onError != null) {
      onError.accept(e);
    } else {
      LOGGER.log(System.Logger.Level.WARNING, "skipped a neuron-monitor report: " + e.getMessage());
    }
  }

  private boolean isBlank() {
    for (int i = 0; i < lineLen; i++) {
      byte b = line[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  /** Reads the next line (without its end) into {@link #line}; false at the end of the stream. */
  private boolean readLine() {
    lineLen = 0;
    boolean tooLong = false;
    boolean sawAny = false;
    while (true) {
      if (chunkPos == chunkEnd && !fill()) {
        if (!sawAny) {
          return false;
        }
        lineNumber++;
        if (tooLong) {
          reportTooLong();
          return readLine();
        }
        return true; // the last line, without a line end
      }
      sawAny = true;
      int nl = indexOfNewline(chunk, chunkPos, chunkEnd);
      int end = nl < 0 ? chunkEnd : nl;
      if (!tooLong) {
        int n = end - chunkPos;
        if (lineLen + n > maxLineBytes) {
          tooLong = true; // keep reading to the line end, dropping bytes
        } else {
          append(chunkPos, n);
        }
      }
      chunkPos = nl < 0 ? chunkEnd : nl + 1;
      if (nl >= 0) {
        lineNumber++;
        if (tooLong) {
          reportTooLong();
          lineLen = 0;
          tooLong = false;
          sawAny = false;
          continue;
        }
        if (lineLen > 0 && line[lineLen - 1] == '\r') {
          lineLen--;
        }
        return true;
      }
    }
  }

  private void reportTooLong() {
    reportError(new NeuronReportException(lineNumber, 0, "$", "line longer than maxLineBytes = " + maxLineBytes
        + " bytes; raise NeuronReportReader.Builder.maxLineBytes to read it"));
  }

  private void append(int from, int n) {
    if (lineLen + n > line.length) {
      line = Arrays.copyOf(line, Math.min(maxLineBytes, Math.max(lineLen + n, line.length * 2)));
    }
    System.arraycopy(chunk, from, line, lineLen, n);
    lineLen += n;
  }

  private static int indexOfNewline(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private boolean fill() {
    if (eof) {
      return false;
    }
    try {
      int n = in.read(chunk, 0, chunk.length);
      if (n < 0) {
        eof = true;
        return false;
      }
      chunkPos = 0;
      chunkEnd = n;
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Configures a {@link NeuronReportReader}. */
  public static final class Builder {
    private int maxLineBytes = DEFAULT_MAX_LINE_BYTES;
    private Consumer<NeuronReportException> onError;

    private Builder() {}

    /**
     * The longest line (report) accepted, in bytes; a longer line is reported and skipped.
     *
     * @param bytes at least 2
     * @return this
     * @throws IllegalArgumentException when below 2
     */
    public Builder maxLineBytes(int bytes) {
      if (bytes < 2) {
        throw new IllegalArgumentException("maxLineBytes must be at least 2: " + bytes);
      }
      this.maxLineBytes = bytes;
      return this;
    }

    /**
     * Where skipped lines are reported.
     *
     * @param onError called with each error, on the reading thread
     * @return this
     */
    public Builder onError(Consumer<NeuronReportException> onError) {
      this.onError = Objects.requireNonNull(onError, "onError");
      return this;
    }

    /**
     * A reader over a stream.
     *
     * @param in the stream; the reader closes it on {@link NeuronReportReader#close()}
     * @return the reader
     */
    public NeuronReportReader build(InputStream in) {
      return new NeuronReportReader(in, maxLineBytes, onError);
    }
  }
}
