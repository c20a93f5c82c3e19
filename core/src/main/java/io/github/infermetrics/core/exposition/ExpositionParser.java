package io.github.infermetrics.core.exposition;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A streaming pull parser for Prometheus text 0.0.4 and OpenMetrics 1.0 that allocates nothing in steady state.
 *
 * <p>One parser reads one exposition at a time; {@code reset(...)} starts the next one and reuses every buffer,
 * so a target scraped again and again costs no garbage: metric and label names become canonical {@code String}s
 * through a seeded, size-capped symbol table, label values are {@link CharSequence} views over the input bytes,
 * and numbers are parsed in place by the formats' own grammar.
 *
 * <pre>{@code
 * ExpositionParser parser = ExpositionParser.builder()
 *     .format(ExpositionFormat.OPENMETRICS)   // or leave unset: from the input
 *     .strict(true)                           // every OpenMetrics rule, or the lenient scrape rules
 *     .build();
 * parser.reset(bytes);                         // or an InputStream, or a ByteBuffer
 * for (ExpositionEvent e; (e = parser.next()) != ExpositionEvent.END; ) {
 *   if (e == ExpositionEvent.SAMPLE && parser.familyType() == MetricType.COUNTER) {
 *     String model = parser.labelValueString("model");   // null when the sample has no such label
 *     double total = parser.value();
 *   }
 * }
 * }</pre>
 *
 * <p><b>Modes.</b> Lenient (the default) accepts what Prometheus's scraper accepts: for Prometheus text, a missing
 * final line feed, {@code \r\n} line ends, blanks and tabs between tokens, samples without metadata (type
 * {@link MetricType#UNKNOWN}), unknown escapes kept as written. Strict mode also rejects what the reference parser
 * {@code expfmt} rejects (second HELP or TYPE, TYPE after samples, invalid escapes, non-float {@code le} and
 * {@code quantile}, a missing final line feed), and for OpenMetrics applies every rule of the specification:
 * ordering and interleaving, repeated metadata, clashing names, histogram, summary, info and state set rules,
 * counter values, exemplar placement and size, {@code # EOF}. In both modes, duplicate label names, the reserved
 * {@code __name__} label, invalid UTF-8 and limit breaches are errors.
 *
 * <p><b>Errors</b> are {@link ExpositionParseException}s with line, column and byte offset. Whether one bad line
 * rejects the whole exposition or is skipped and counted is the {@link BadLinePolicy}.
 *
 * <p><b>Validity of results.</b> Label value views and exemplar views are valid until the next call to
 * {@link #next()}; names, help and unit texts are ordinary strings.
 *
 * <p>Not thread-safe: use one parser per thread (or per target).
 */
public final class ExpositionParser {

  // ---- byte classes -------------------------------------------------------------------------------------------
  private static final int NAME_START = 1;
  private static final int NAME_CHAR = 2;
  private static final int LABEL_START = 4;
  private static final int LABEL_CHAR = 8;
  /** A label value byte needing no attention: not {@code "}, {@code \}, line feed, or non-ASCII. */
  private static final int PLAIN = 16;
  private static final int BLANK = 32;
  /** A HELP byte needing no attention: not {@code \} and not non-ASCII. */
  private static final int PLAIN_TEXT = 64;
  private static final byte[] CC = new byte[256];

  static {
    for (int c = 0; c < 128; c++) {
      int f = PLAIN | PLAIN_TEXT;
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      boolean digit = c >= '0' && c <= '9';
      if (letter || c == '_' || c == ':') {
        f |= NAME_START | NAME_CHAR;
      }
      if (digit) {
        f |= NAME_CHAR | LABEL_CHAR;
      }
      if (letter || c == '_') {
        f |= LABEL_START | LABEL_CHAR;
      }
      if (c == ' ' || c == '\t') {
        f |= BLANK;
      }
      if (c == '"' || c == '\\' || c == '\n') {
        f &= ~PLAIN;
      }
      if (c == '\\') {
        f &= ~PLAIN_TEXT;
      }
      CC[c] = (byte) f;
    }
  }

  /** Initial stream buffer: small, since a parser per scrape target stays in memory; it grows for long lines. */
  private static final int STREAM_BUFFER = 16 * 1024;
  /** How many blanks may come before the {@code <} of an HTML body that {@link #checkForeignBody()} reports. */
  private static final int FOREIGN_BODY_BLANKS = 512;
  private static final String[] SUFFIXES = {"_bucket", "_count", "_sum", "_created", "_total", "_gcount", "_gsum", "_info"};
  private static final byte[][] SUFFIX_BYTES = new byte[SUFFIXES.length][];

  static {
    for (int i = 0; i < SUFFIXES.length; i++) {
      SUFFIX_BYTES[i] = SUFFIXES[i].getBytes(StandardCharsets.US_ASCII);
    }
  }

  private static final int S_BUCKET = 0;
  private static final int S_COUNT = 1;
  private static final int S_SUM = 2;
  private static final int S_CREATED = 3;
  private static final int S_TOTAL = 4;
  private static final int S_GCOUNT = 5;
  private static final int S_GSUM = 6;
  private static final int S_INFO = 7;

  // ---- configuration ------------------------------------------------------------------------------------------
  /** Whether {@link #fastSample} is tried first; off only in the tests that compare it with the general path. */
  boolean fastPath = true;
  private final ExpositionFormat configuredFormat;
  private final boolean strict;
  private final BadLinePolicy badLinePolicy;
  private final ParserLimits limits;
  private final int maxLabels;
  private final long maxSeries;
  private final SymbolTable names;
  private final SymbolTable values;
  private final SymbolTable texts;
  private final StrictValidator validator;

  // ---- input --------------------------------------------------------------------------------------------------
  private byte[] buf = new byte[0];
  private int pos;
  private int end;
  /** Offset in the whole input of {@code buf[0]}. */
  private long baseOffset;
  private InputStream stream;
  private ByteBuffer byteBuffer;
  private int byteBufferPos;
  private int byteBufferEnd;
  private boolean sourceExhausted;
  /** The input went on past {@link ParserLimits#maxInputBytes()}: its end is the limit, not the input's end. */
  private boolean inputCut;
  private byte[] streamBuffer;
  private byte[] tail = new byte[64];
  /** One byte read past {@link ParserLimits#maxInputBytes()}, to tell a stream that goes on from one that ends. */
  private byte[] limitProbe;
  /** The current line had no line feed of its own (the last line of the input). */
  private boolean virtualNewline;
  private ExpositionFormat formatOverride;

  // ---- state --------------------------------------------------------------------------------------------------
  private ExpositionFormat format;
  private boolean om;
  private boolean started;
  private boolean finished;
  private boolean eofSeen;
  private long seriesCount;
  private int skippedLines;
  private ExpositionParseException lastSkippedError;
  /** The last event's ordinal, -1 before the first: it changes on most lines, and an int store has no barrier. */
  private int event = -1;
  private static final ExpositionEvent[] EVENTS = ExpositionEvent.values();

  private int lineNumber;
  private int lineStart;
  /** Index of the current line's line feed; -1 while a sample line of an array input is being read. */
  private int lineEnd;
  /** End of the line's content: {@link #lineEnd}, or one before it when a lenient {@code \r\n} ends the line. */
  private int contentEnd;
  /**
   * The last line feed of an array input (-1 for streams): a line starting at or before it is known to end in a
   * line feed, so a sample line finds its end while it is parsed instead of being searched first.
   */
  private int lastNewline = -1;

  // ---- families of the current exposition --------------------------------------------------------------------
  int familyCount;
  String[] famName = new String[64];
  /**
   * Each family's type as a {@link MetricType} ordinal ({@link #typeOf}): set twice per family and exposition, and a
   * byte store skips the write barrier that a reference store pays with G1.
   */
  byte[] famType = new byte[64];
  boolean[] famTyped = new boolean[64];
  String[] famHelp = new String[64];
  boolean[] famHelpSeen = new boolean[64];
  private int[] famHelpOff = new int[64];
  private int[] famHelpLen = new int[64];
  /** The bytes of each family's help as read, for {@link ParserLimits#maxHelpBytes()}. */
  private int[] famHelpBytes = new int[64];
  private long helpBytesKept;
  /**
   * The help texts kept as bytes, in the order their families were declared. A text read from a HELP line in its
   * usual form ({@link #fastComment}) is kept with its whole line, and with the TYPE line in its usual form that
   * came right after it: a record of {@link #famRecLen} bytes from {@code famHelpOff - 8 - famNameLen}, which the
   * next exposition's same two lines are compared with at once ({@link #repeatedMetadata}).
   */
  private byte[] helpArena = new byte[4096];
  /**
   * The length of family f's record in the help arena (its HELP line, and its TYPE line when {@link #famRecType}
   * says so), or 0 when only its text is there or nothing. Kept from one exposition to the next for the family at
   * the same ordinal; {@link #newFamily} clears it.
   */
  private int[] famRecLen = new int[64];
  /** The {@link MetricType} ordinal + 1 of the TYPE line in family f's record, or 0 when it has none. */
  private byte[] famRecType = new byte[64];
  /** The family whose record is the last in the help arena and may take the TYPE line at {@link #recordNext}. */
  private int recordOpen = -1;
  private int recordNext;
  /** Where the TYPE line that {@link #repeatedMetadata} found with its HELP line starts, and ends; else -1. */
  private int repeatedTypeAt = -1;
  private int repeatedTypeEnd;
  private int helpArenaUsed;
  /** Arena bytes of help texts that a later HELP line of the same family replaced. */
  private int helpArenaGarbage;
  String[] famUnit = new String[64];
  boolean[] famUnitSeen = new boolean[64];
  boolean[] famHasSamples = new boolean[64];
  private int[] famNameOff = new int[64];
  private int[] famNameLen = new int[64];
  /** The family's name is not a plain metric name: it can only be written quoted. */
  private boolean[] famQuotedOnly = new boolean[64];
  /**
   * The sample names of each family with a suffix ({@code x_sum} of family {@code x}: family * SUFFIX_COUNT +
   * suffix), kept from the first sample that resolved that way until the ordinal holds another family, so that a
   * histogram's or summary's next series finds its name without scanning it or looking it up.
   */
  private String[] suffixNames = new String[64 * SUFFIXES.length];
  private byte[] famNameBytes = new byte[1024];
  private int famNameBytesUsed;
  /** Families in the previous exposition; their names stay in {@link #famName} and {@link #famNameBytes}. */
  private int previousFamilyCount;
  /** Every family of this exposition so far is the previous exposition's at the same ordinal. */
  private boolean familiesRepeat;
  /**
   * Open-addressing index: name hash to ordinal + 1. While {@link #familiesRepeat} it is the previous exposition's,
   * kept instead of rebuilt: its first {@link #familyCount} families are this exposition's, and the later ones
   * are not families yet ({@link #familyOrdinal(String)} ignores them).
   */
  private int[] famIndex = new int[128];
  int curFam = -1;

  private static final MetricType[] TYPES = MetricType.values();

  /** The type of family f. */
  MetricType typeOf(int f) {
    return TYPES[famType[f]];
  }

  // ---- the current sample ------------------------------------------------------------------------------------
  String sampleName;
  SampleKind sampleKind;
  int labelCount;
  String[] lblName = new String[16];
  /**
   * Where label value i is, in one store per label: its offset (bits 33 and up), its length in bytes (bits 2 to
   * 32), {@link #IN_ESC} when it was unescaped into {@link #esc} (else it is in {@link #buf}) and {@link #ASCII}.
   */
  long[] lblPos = new long[16];
  private static final long IN_ESC = 2;
  static final long ASCII = 1;
  private LabelValueView[] lblViews = grownViews(new LabelValueView[0], 16, false);
  double value;
  boolean hasTimestamp;
  long timestampMillis;
  /** Sub-millisecond part of an OpenMetrics timestamp, same sign as the timestamp; for ordering checks. */
  int timestampNanos;

  boolean hasExemplar;
  int exCount;
  String[] exName = new String[8];
  int[] exOff = new int[8];
  int[] exLen = new int[8];
  boolean[] exAscii = new boolean[8];
  private LabelValueView[] exViews = new LabelValueView[0];
  double exValue;
  boolean exHasTimestamp;
  long exTimestampMillis;

  /** The current comment line has no backslash and no non-ASCII byte (known only after {@link #commentLineEnd()}). */
  private boolean linePlain;
  /** Unescaped bytes of the current line (label values, quoted names, help text). */
  private byte[] esc = new byte[256];
  private int escLen;
  private byte[] numScratch = new byte[64];
  private double number;
  private long tsMs;
  private int tsNs;

  private ExpositionParser(Builder b) {
    this.configuredFormat = b.format;
    this.strict = b.strict;
    this.badLinePolicy = b.badLinePolicy;
    this.limits = b.limits;
    this.maxLabels = b.limits.maxLabelsPerSeries();
    this.maxSeries = b.limits.maxSeries();
    this.names = new SymbolTable(b.symbolTableCapacity, limits.maxNameLength());
    // the label names that readers look up by literal: then labelIndex finds them by identity
    names.add("le");
    names.add("quantile");
    this.values = new SymbolTable(b.symbolTableCapacity, 1024);
    this.texts = new SymbolTable(Math.max(16, b.symbolTableCapacity / 8), 8192);
    this.validator = b.strict ? new StrictValidator(this) : null;
  }

  /**
   * A builder: lenient, format from the input, {@link BadLinePolicy#REJECT}, default limits.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A lenient parser that picks the format from the input, with default limits.
   *
   * @return a new parser
   */
  public static ExpositionParser create() {
    return builder().build();
  }

  // =============================================================================================================
  // Input
  // =============================================================================================================

  /**
   * Starts parsing a whole exposition held in an array. The array is read in place and must not change until the
   * parse ends.
   *
   * @param input the exposition bytes (UTF-8)
   * @return this parser
   */
  public ExpositionParser reset(byte[] input) {
    return reset(input, 0, input.length, null);
  }

  /**
   * Starts parsing {@code input[offset, offset + length)}.
   *
   * @param input the bytes
   * @param offset where the exposition starts
   * @param length its length in bytes
   * @param format the format, or {@code null} for the builder's format (or detection)
   * @return this parser
   */
  public ExpositionParser reset(byte[] input, int offset, int length, ExpositionFormat format) {
    Objects.checkFromIndexSize(offset, length, input.length);
    clearSource();
    if (length > limits.maxInputBytes()) {
      // read up to the limit, and fail there with a location, the way a stream does
      length = (int) limits.maxInputBytes();
      inputCut = true;
    }
    this.buf = input;
    this.pos = offset;
    this.end = offset + length;
    this.baseOffset = -offset;
    this.sourceExhausted = true;
    int e = offset + length;
    int stop = Math.max(offset, e - limits.maxLineLength() - 1);
    int nl = e - 1;
    while (nl >= stop && input[nl] != '\n') {
      nl--;
    }
    this.lastNewline = nl >= stop ? nl : -1;
    return start(format);
  }

  /**
   * Starts parsing the remaining bytes of a buffer (position to limit). The buffer's position is not changed.
   * Heap buffers are read in place; direct buffers are copied through the parser's internal buffer.
   *
   * @param input the bytes
   * @return this parser
   */
  public ExpositionParser reset(ByteBuffer input) {
    return reset(input, null);
  }

  /**
   * Like {@link #reset(ByteBuffer)}, with an explicit format.
   *
   * @param input the bytes
   * @param format the format, or {@code null} for the builder's format (or detection)
   * @return this parser
   */
  public ExpositionParser reset(ByteBuffer input, ExpositionFormat format) {
    if (input.hasArray()) {
      return reset(input.array(), input.arrayOffset() + input.position(), input.remaining(), format);
    }
    clearSource();
    this.byteBuffer = input;
    this.byteBufferPos = input.position();
    this.byteBufferEnd = input.limit();
    startStream();
    return start(format);
  }

  /**
   * Starts parsing an exposition read from a stream, through an internal buffer that holds at most one line
   * beyond what has been read ({@link ParserLimits#maxLineLength()}), so memory stays bounded whatever the body
   * size. The stream is not closed.
   *
   * @param input the stream
   * @return this parser
   */
  public ExpositionParser reset(InputStream input) {
    return reset(input, null);
  }

  /**
   * Like {@link #reset(InputStream)}, with an explicit format, for example from
   * {@link ExpositionFormat#fromContentType(String)}.
   *
   * @param input the stream
   * @param format the format, or {@code null} for the builder's format (or detection)
   * @return this parser
   */
  public ExpositionParser reset(InputStream input, ExpositionFormat format) {
    clearSource();
    this.stream = Objects.requireNonNull(input, "input");
    startStream();
    return start(format);
  }

  private void clearSource() {
    stream = null;
    byteBuffer = null;
    sourceExhausted = false;
    inputCut = false;
  }

  private void startStream() {
    lastNewline = -1;
    if (streamBuffer == null) {
      streamBuffer = new byte[STREAM_BUFFER];
    }
    buf = streamBuffer;
    pos = 0;
    end = 0;
    baseOffset = 0;
  }

  private ExpositionParser start(ExpositionFormat format) {
    formatOverride = format;
    this.format = null;
    started = false;
    finished = false;
    eofSeen = false;
    virtualNewline = false;
    seriesCount = 0;
    skippedLines = 0;
    lastSkippedError = null;
    event = -1;
    lineNumber = 0;
    lineStart = pos;
    lineEnd = pos;
    contentEnd = pos;
    labelCount = 0;
    hasExemplar = false;
    sampleName = null;
    nameSerial++;
    braceName = null;
    prevLine = -1;
    for (int i = 0; i < familyCount; i++) {
      // the names stay: the next exposition of a target usually lists the same families in the same order
      famHelp[i] = null;
      famUnit[i] = null;
    }
    previousFamilyCount = familyCount;
    familiesRepeat = true;
    familyCount = 0;
    famNameBytesUsed = 0;
    helpArenaUsed = 0;
    helpArenaGarbage = 0;
    helpBytesKept = 0;
    recordOpen = -1;
    repeatedTypeAt = -1;
    epoch++;
    curFam = -1;
    if (validator != null) {
      validator.reset();
    }
    return this;
  }

  // =============================================================================================================
  // Pull API
  // =============================================================================================================

  /**
   * Advances to the next metadata line or sample.
   *
   * @return the event; {@link ExpositionEvent#END} once the input is used up and valid
   * @throws ExpositionParseException when the input is invalid (with {@link BadLinePolicy#SKIP}, only for errors
   *     that are not line-scoped)
   * @throws UncheckedIOException when reading the stream fails
   */
  public ExpositionEvent next() {
    if (finished) {
      return ExpositionEvent.END;
    }
    if (!started) {
      begin();
    }
    while (true) {
      if (!nextLine()) {
        finish();
        event = ExpositionEvent.END.ordinal();
        return ExpositionEvent.END;
      }
      try {
        ExpositionEvent e = om ? parseOmLine() : parseTextLine();
        pos = lineEnd + 1;
        if (e != null) {
          event = e.ordinal();
          return e;
        }
      } catch (ExpositionParseException ex) {
        if (badLinePolicy == BadLinePolicy.SKIP && ex.isLineScoped()) {
          skippedLines++;
          lastSkippedError = ex;
          ensureLineEnd();
          pos = lineEnd + 1;
          continue;
        }
        finished = true;
        throw ex;
      }
    }
  }

  private void begin() {
    started = true;
    ExpositionFormat f = formatOverride != null ? formatOverride : configuredFormat;
    if (f == null) {
      if (!sourceExhausted) {
        fill(Integer.MAX_VALUE);
      }
      f = FormatDetector.detect(buf, pos, end, sourceExhausted && !inputCut);
    } else {
      fill(FOREIGN_BODY_BLANKS + 4);
    }
    format = f;
    om = f == ExpositionFormat.OPENMETRICS;
    if (end > pos) {
      checkForeignBody();
    }
  }

  private void finish() {
    finished = true;
    if (!virtualNewline && lineNumber > 0) {
      // The input ended after a line feed: an error now is at the start of the empty line after the last one. A
      // stream may already have compacted the last line out of its buffer, so it cannot be pointed into.
      lineNumber++;
      lineStart = lineEnd = contentEnd = pos = end;
    }
    if (inputCut) {
      throw inputLimitError(end);
    }
    if (om && !eofSeen) {
      throw error("missing '# EOF' at the end of the OpenMetrics exposition (truncated body?)", pos, false);
    }
    if (strict && !om && virtualNewline) {
      throw error("the last line has no line feed", pos, false);
    }
    if (validator != null) {
      validator.end();
    }
  }

  /**
   * The last event returned by {@link #next()}.
   *
   * @return the event, or {@code null} before the first call
   */
  public ExpositionEvent event() {
    return event < 0 ? null : EVENTS[event];
  }

  /**
   * The format being parsed: the one given, or the one detected from the input on the first {@link #next()}.
   *
   * @return the format, or {@code null} before the first {@link #next()} when detecting
   */
  public ExpositionFormat format() {
    return format != null ? format : formatOverride != null ? formatOverride : configuredFormat;
  }

  /**
   * Whether this parser applies the strict rules.
   *
   * @return true when strict
   */
  public boolean isStrict() {
    return strict;
  }

  /**
   * The 1-based line number of the current event.
   *
   * @return the line number
   */
  public int lineNumber() {
    return lineNumber;
  }

  /**
   * Lines skipped under {@link BadLinePolicy#SKIP} in this exposition.
   *
   * @return the count
   */
  public int skippedLines() {
    return skippedLines;
  }

  /**
   * The error of the last skipped line.
   *
   * @return the error, or {@code null} when no line was skipped
   */
  public ExpositionParseException lastSkippedError() {
    return lastSkippedError;
  }

  /**
   * Sample lines reported so far in this exposition.
   *
   * @return the count
   */
  public long sampleCount() {
    return seriesCount;
  }

  // ---- family -------------------------------------------------------------------------------------------------

  /**
   * The name of the current family: the one the metadata line described, or the family the sample belongs to
   * ({@code foo} for a sample {@code foo_bucket} of histogram {@code foo}; the sample's own name for samples
   * without metadata).
   *
   * @return the canonical family name
   */
  public String familyName() {
    return curFam < 0 ? null : famName[curFam];
  }

  /**
   * The type of the current family.
   *
   * @return the type; {@link MetricType#UNKNOWN} without a {@code # TYPE} line
   */
  public MetricType familyType() {
    return curFam < 0 ? null : typeOf(curFam);
  }

  /**
   * The help text of the current family, unescaped.
   *
   * @return the text, or {@code null} without a {@code # HELP} line
   */
  public String familyHelp() {
    return curFam < 0 ? null : help(curFam);
  }

  /**
   * The OpenMetrics unit of the current family.
   *
   * @return the unit, or {@code null} without a (non-empty) {@code # UNIT} line
   */
  public String familyUnit() {
    return curFam < 0 ? null : famUnit[curFam];
  }

  /**
   * Number of distinct families met so far in this exposition (declared by metadata or implied by samples);
   * after {@link ExpositionEvent#END}, the number of families in the exposition.
   *
   * @return the count
   */
  public int familyCount() {
    return familyCount;
  }

  /**
   * The 0-based ordinal of the current family in this exposition. Every distinct family name gets one ordinal,
   * in order of first appearance, so a consumer can keep per-family state in an array.
   *
   * @return the ordinal
   */
  public int familyOrdinal() {
    return curFam;
  }

  /**
   * The name of family {@code ordinal} of this exposition (see {@link #familyOrdinal()}); valid until the next
   * {@code reset}.
   *
   * @param ordinal from 0 to {@link #familyCount()} - 1
   * @return the name
   */
  public String familyName(int ordinal) {
    Objects.checkIndex(ordinal, familyCount);
    return famName[ordinal];
  }

  /**
   * The type of family {@code ordinal}, as known so far (a lenient Prometheus text exposition may type a family
   * after its first samples).
   *
   * @param ordinal from 0 to {@link #familyCount()} - 1
   * @return the type
   */
  public MetricType familyType(int ordinal) {
    Objects.checkIndex(ordinal, familyCount);
    return typeOf(ordinal);
  }

  /**
   * The help text of family {@code ordinal}.
   *
   * @param ordinal from 0 to {@link #familyCount()} - 1
   * @return the text, or {@code null}
   */
  public String familyHelp(int ordinal) {
    Objects.checkIndex(ordinal, familyCount);
    return help(ordinal);
  }

  /**
   * The unit of family {@code ordinal}.
   *
   * @param ordinal from 0 to {@link #familyCount()} - 1
   * @return the unit, or {@code null}
   */
  public String familyUnit(int ordinal) {
    Objects.checkIndex(ordinal, familyCount);
    return famUnit[ordinal];
  }

  /**
   * Lets a consumer refuse the current sample for a reason of its own (for example a histogram bucket whose
   * {@code le} is not a number, which the lenient parser does not check), under the parser's
   * {@link BadLinePolicy}: with {@link BadLinePolicy#REJECT} this throws an {@link ExpositionParseException} located
   * at the current line; with {@link BadLinePolicy#SKIP} it counts the line as skipped and returns, and the consumer
   * ignores the sample.
   *
   * @param reason what is wrong with the sample
   * @throws ExpositionParseException under {@link BadLinePolicy#REJECT}
   */
  public void rejectCurrentLine(String reason) {
    ExpositionParseException e = error(reason, lineStart, true);
    if (badLinePolicy == BadLinePolicy.SKIP) {
      skippedLines++;
      lastSkippedError = e;
      return;
    }
    finished = true;
    throw e;
  }

  /**
   * The policy for bad lines.
   *
   * @return the policy
   */
  public BadLinePolicy badLinePolicy() {
    return badLinePolicy;
  }

  // ---- sample -------------------------------------------------------------------------------------------------

  /**
   * The sample's metric name as written ({@code foo_bucket}), canonical.
   *
   * @return the name
   */
  public String name() {
    return sampleName;
  }

  /**
   * What the sample carries for its family's metric point.
   *
   * @return the kind
   */
  public SampleKind kind() {
    return sampleKind;
  }

  /**
   * Number of labels of the sample, in input order.
   *
   * @return the count
   */
  public int labelCount() {
    return labelCount;
  }

  /**
   * The name of label {@code i}, canonical.
   *
   * @param i index from 0 to {@link #labelCount()} - 1
   * @return the name
   */
  public String labelName(int i) {
    Objects.checkIndex(i, labelCount);
    return lblName[i];
  }

  /**
   * The value of label {@code i}, unescaped, as a view that is valid until the next {@link #next()}.
   *
   * @param i index from 0 to {@link #labelCount()} - 1, or -1 (what {@link #labelIndex(String)} returns for a label
   *     the sample does not have)
   * @return the view, or {@code null} for -1
   * @throws IndexOutOfBoundsException for any other index outside the sample's labels
   */
  public CharSequence labelValue(int i) {
    if (i == -1) {
      return null;
    }
    Objects.checkIndex(i, labelCount);
    LabelValueView v = lblViews[i];
    if ((lblPos[i] & ASCII) == 0) {
      v.forget();
    }
    return v;
  }

  /**
   * The value of the label named {@code name}, as a view that is valid until the next {@link #next()}; the way to
   * read a label that some samples lack.
   *
   * @param name the label name
   * @return the view, or {@code null} when the sample has no such label
   */
  public CharSequence labelValue(String name) {
    return labelValue(labelIndex(name));
  }

  /**
   * The value of label {@code i} as a canonical {@code String}: values seen before (in this or an earlier
   * exposition read by this parser) return the same instance without allocating.
   *
   * @param i index from 0 to {@link #labelCount()} - 1, or -1 (what {@link #labelIndex(String)} returns for a label
   *     the sample does not have)
   * @return the value, or {@code null} for -1
   * @throws IndexOutOfBoundsException for any other index outside the sample's labels
   */
  public String labelValueString(int i) {
    if (i == -1) {
      return null;
    }
    Objects.checkIndex(i, labelCount);
    return values.lookup(labelBytes(i), labelOffset(i), labelLength(i), (lblPos[i] & ASCII) != 0);
  }

  /**
   * The value of the label named {@code name} as a canonical {@code String} (see {@link #labelValueString(int)}).
   *
   * @param name the label name
   * @return the value, or {@code null} when the sample has no such label
   */
  public String labelValueString(String name) {
    return labelValueString(labelIndex(name));
  }

  /**
   * The index of the label with this name.
   *
   * @param name the label name
   * @return the index, or -1 when the sample has no such label
   */
  public int labelIndex(String name) {
    for (int i = 0; i < labelCount; i++) {
      if (lblName[i] == name) {
        return i;
      }
    }
    for (int i = 0; i < labelCount; i++) {
      if (lblName[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The value of label {@code i} read as a number with the exposition grammar ({@code le} and {@code quantile}).
   *
   * @param i index from 0 to {@link #labelCount()} - 1
   * @return the number
   * @throws ExpositionParseException when the value is not a number
   */
  public double labelValueAsDouble(int i) {
    Objects.checkIndex(i, labelCount);
    if (!parseNumber(labelBytes(i), labelOffset(i), labelLength(i))) {
      throw error("label " + lblName[i] + " is not a number: \"" + labelValue(i) + "\"", lineStart, true);
    }
    return number;
  }

  /**
   * The sample value.
   *
   * @return the value
   */
  public double value() {
    return value;
  }

  /**
   * Whether the sample has a timestamp.
   *
   * @return true when it has one
   */
  public boolean hasTimestamp() {
    return hasTimestamp;
  }

  /**
   * The sample timestamp in milliseconds since the epoch. OpenMetrics seconds are converted exactly, truncating
   * below the millisecond toward zero; values beyond the {@code long} range saturate.
   *
   * @return the timestamp, meaningful when {@link #hasTimestamp()}
   */
  public long timestampMillis() {
    return timestampMillis;
  }

  /**
   * Whether the sample has an OpenMetrics exemplar.
   *
   * @return true when it has one
   */
  public boolean hasExemplar() {
    return hasExemplar;
  }

  /**
   * Number of exemplar labels.
   *
   * @return the count, 0 without an exemplar
   */
  public int exemplarLabelCount() {
    return hasExemplar ? exCount : 0;
  }

  /**
   * The name of exemplar label {@code i}.
   *
   * @param i the index
   * @return the canonical name
   */
  public String exemplarLabelName(int i) {
    Objects.checkIndex(i, exemplarLabelCount());
    return exName[i];
  }

  /**
   * The value of exemplar label {@code i}, as a view valid until the next {@link #next()}.
   *
   * @param i the index
   * @return the view
   */
  public CharSequence exemplarLabelValue(int i) {
    Objects.checkIndex(i, exemplarLabelCount());
    if (exViews.length < exName.length) {
      exViews = grownViews(exViews, exName.length, true);
    }
    LabelValueView v = exViews[i];
    if (!exAscii[i]) {
      v.forget();
    }
    return v;
  }

  /**
   * The value of exemplar label {@code i} as a canonical {@code String}.
   *
   * @param i the index
   * @return the value
   */
  public String exemplarLabelValueString(int i) {
    Objects.checkIndex(i, exemplarLabelCount());
    return values.lookup(esc, exOff[i], exLen[i], exAscii[i]);
  }

  /**
   * The exemplar value.
   *
   * @return the value
   */
  public double exemplarValue() {
    return exValue;
  }

  /**
   * Whether the exemplar has a timestamp.
   *
   * @return true when it has one
   */
  public boolean exemplarHasTimestamp() {
    return hasExemplar && exHasTimestamp;
  }

  /**
   * The exemplar timestamp in milliseconds since the epoch (converted like {@link #timestampMillis()}).
   *
   * @return the timestamp
   */
  public long exemplarTimestampMillis() {
    return exTimestampMillis;
  }

  /** The array holding label value i. */
  byte[] labelBytes(int i) {
    return valueBytes(lblPos[i]);
  }

  /** Where label value i starts in {@link #labelBytes(int)}. */
  int labelOffset(int i) {
    return valueOffset(lblPos[i]);
  }

  /** The length in bytes of label value i. */
  int labelLength(int i) {
    return valueLength(lblPos[i]);
  }

  /** Exemplar label value i's place, packed as an {@link #lblPos} entry (its bytes are always in {@link #esc}). */
  long exemplarPos(int i) {
    return (long) exOff[i] << 33 | (long) exLen[i] << 2 | IN_ESC | (exAscii[i] ? ASCII : 0);
  }

  /** The array that holds the value of an {@link #lblPos} entry. */
  byte[] valueBytes(long pos) {
    return (pos & IN_ESC) != 0 ? esc : buf;
  }

  /** The offset in an {@link #lblPos} entry. */
  static int valueOffset(long pos) {
    return (int) (pos >>> 33);
  }

  /** The length in an {@link #lblPos} entry. */
  static int valueLength(long pos) {
    return (int) (pos >>> 2) & Integer.MAX_VALUE;
  }

  /** The views of {@code old} and new ones up to index n - 1: of sample labels, or of exemplar labels. */
  private LabelValueView[] grownViews(LabelValueView[] old, int n, boolean exemplar) {
    LabelValueView[] v = Arrays.copyOf(old, n);
    for (int i = old.length; i < n; i++) {
      v[i] = new LabelValueView(this, i, exemplar);
    }
    return v;
  }

  // =============================================================================================================
  // Lines
  // =============================================================================================================

  /** Finds the next line; false at the end of the input. */
  private boolean nextLine() {
    int p = pos;
    if (p <= lastNewline) {
      lineNumber++;
      lineStart = p;
      lineEnd = -1;
      contentEnd = -1;
      escLen = 0;
      return true;
    }
    if (p >= end) {
      if (sourceExhausted || !refill()) {
        return false;
      }
      p = pos;
    }
    int maxLine = limits.maxLineLength();
    int to = end - p > maxLine ? p + maxLine + 1 : end;
    int nl = Swar.indexOfNewline(buf, p, to);
    if (nl < 0) {
      nl = findLineSlow();
      p = pos;
    }
    lineNumber++;
    lineStart = p;
    lineEnd = nl;
    escLen = 0;
    int ce = nl;
    if (ce > p && buf[ce - 1] == '\r' && !strict) {
      ce--;
    }
    contentEnd = ce;
    return true;
  }

  /** The line at {@link #pos} has no line feed in the buffer: read more, or end it at the end of the input. */
  private int findLineSlow() {
    int maxLine = limits.maxLineLength();
    while (true) {
      if (end - pos > maxLine) {
        lineNumber++;
        lineStart = pos;
        lineEnd = pos + maxLine;
        contentEnd = lineEnd;
        throw limitError("line is longer than " + maxLine + " bytes", "maxLineLength", pos + maxLine, false);
      }
      if (sourceExhausted) {
        if (inputCut) {
          // the limit cut this line: parsing its first part as a whole line would report a wrong sample
          lineNumber++;
          lineStart = pos;
          lineEnd = contentEnd = end;
          throw inputLimitError(end);
        }
        // the input ends without a line feed: give the last line one of its own
        prevLine = -1;
        int n = end - pos;
        if (stream == null && byteBuffer == null) {
          if (tail.length < n + 1) {
            tail = new byte[n + 16];
          }
          System.arraycopy(buf, pos, tail, 0, n);
          baseOffset += pos;
          lastNewline = -1;
          buf = tail;
          pos = 0;
          end = n;
        }
        // stream buffers always keep one spare byte after end for this
        buf[end] = '\n';
        virtualNewline = true;
        return end;
      }
      int searched = end - pos;
      if (refill()) {
        int to = end - pos > maxLine ? pos + maxLine + 1 : end;
        int nl = Swar.indexOfNewline(buf, pos + searched, to);
        if (nl >= 0) {
          return nl;
        }
      }
    }
  }

  /**
   * Reads more input after {@link #end}; moves the unread bytes to the front of the stream buffer first, and grows
   * it (up to the line limit) when a line fills it. False at the end of the input.
   */
  private boolean refill() {
    if (sourceExhausted) {
      return false;
    }
    prevLine = -1;
    recordOpen = -1; // positions move
    repeatedTypeAt = -1;
    if (pos > 0) {
      int n = end - pos;
      System.arraycopy(buf, pos, buf, 0, n);
      baseOffset += pos;
      lineStart -= pos;
      lineEnd -= pos;
      contentEnd -= pos;
      end = n;
      pos = 0;
    }
    if (end >= buf.length - 1) {
      long cap = Math.min((long) buf.length * 2, (long) limits.maxLineLength() + 2);
      buf = Arrays.copyOf(buf, (int) Math.max(cap, end + 2L));
      streamBuffer = buf;
    }
    long room = limits.maxInputBytes() - (baseOffset + end);
    if (room <= 0) {
      return endAtInputLimit();
    }
    int n = read(buf, end, (int) Math.min(buf.length - 1 - end, room));
    if (n < 0) {
      sourceExhausted = true;
      return false;
    }
    end += n;
    return true;
  }

  /** The stream has given {@link ParserLimits#maxInputBytes()}: it ends here, and the parse fails if it goes on. */
  private boolean endAtInputLimit() {
    sourceExhausted = true;
    byte[] probe = limitProbe;
    if (probe == null) {
      probe = limitProbe = new byte[1];
    }
    inputCut = read(probe, 0, 1) > 0;
    return false;
  }

  private ExpositionParseException inputLimitError(int at) {
    return limitError("exposition is longer than " + limits.maxInputBytes() + " bytes", "maxInputBytes", at, false);
  }

  private int read(byte[] b, int off, int len) {
    if (len <= 0) {
      return 0;
    }
    if (byteBuffer != null) {
      int n = Math.min(len, byteBufferEnd - byteBufferPos);
      if (n <= 0) {
        return -1;
      }
      byteBuffer.get(byteBufferPos, b, off, n);
      byteBufferPos += n;
      return n;
    }
    try {
      int n;
      do {
        n = stream.read(b, off, len);
      } while (n == 0);
      return n;
    } catch (IOException e) {
      finished = true;
      throw new UncheckedIOException("reading the exposition failed after " + (baseOffset + end) + " bytes", e);
    }
  }

  /**
   * Reads a stream until {@code wanted} bytes from {@link #pos} are in the buffer, or the buffer is full, or the
   * input ends. A stream whose format is known reads what {@link #checkForeignBody()} sees in an array (the gzip
   * magic, a BOM, {@code <} after up to {@link #FOREIGN_BODY_BLANKS} blanks); without it a stream's first chunk
   * decided. Format detection reads a whole buffer.
   */
  private void fill(int wanted) {
    while (!sourceExhausted && end - pos < wanted && end < buf.length - 1) {
      refill();
    }
  }

  /** Whether nothing follows {@code p} in the input. */
  private boolean atEndOfInput(int p) {
    if (p < end) {
      return false;
    }
    if (sourceExhausted) {
      return !inputCut;
    }
    pos = p;
    while (refill()) {
      if (end > pos) {
        return false;
      }
    }
    return end <= pos && !inputCut;
  }

  /** Finds the current line's end when it is not known yet (comments, metadata, errors). */
  private void ensureLineEnd() {
    if (lineEnd >= 0) {
      return;
    }
    int maxLine = limits.maxLineLength();
    int to = Math.min(end, lineStart + maxLine + 1);
    int nl = Swar.indexOfNewline(buf, lineStart, to);
    if (nl < 0) {
      lineEnd = to;
      contentEnd = to;
      throw limitError("line is longer than " + maxLine + " bytes", "maxLineLength", lineStart + maxLine, false);
    }
    setLineEnd(nl);
  }

  /**
   * {@link #ensureLineEnd()} for a comment line: the same pass tells whether the line is plain ASCII without
   * backslashes ({@link #linePlain}), so that a HELP text is not scanned again.
   */
  private void commentLineEnd() {
    linePlain = false;
    if (lineEnd >= 0) {
      return;
    }
    int maxLine = limits.maxLineLength();
    int to = Math.min(end, lineStart + maxLine + 1);
    long r = Swar.newlineNoting(buf, lineStart, to);
    if (r < 0) {
      ensureLineEnd();
      return;
    }
    setLineEnd((int) r);
    linePlain = (r & Swar.NOT_PLAIN) == 0;
  }

  private void setLineEnd(int nl) {
    lineEnd = nl;
    contentEnd = nl > lineStart && buf[nl - 1] == '\r' && !strict ? nl - 1 : nl;
  }

  /** Whether p is where the line's content ends: its line feed, or a lenient {@code \r} before it. */
  private boolean eol(byte[] b, int p) {
    byte c = b[p];
    return c == '\n' || c == '\r' && !strict && b[p + 1] == '\n';
  }

  // =============================================================================================================
  // Prometheus text 0.0.4
  // =============================================================================================================

  private ExpositionEvent parseTextLine() {
    final byte[] b = buf;
    int p = lineStart;
    int c = b[p] & 0xff;
    if ((CC[c] & NAME_START) != 0) {
      return fastPath && fastSample(p) ? ExpositionEvent.SAMPLE : parseSample(p);
    }
    while (c == ' ' || c == '\t') {
      c = b[++p] & 0xff;
    }
    if (c == '#') {
      if (fastPath && p == lineStart) {
        ExpositionEvent e = fastComment(p);
        if (e != null) {
          return e;
        }
      }
      commentLineEnd();
      return parseTextComment(p + 1);
    }
    if (eol(b, p)) {
      if (lineEnd < 0) {
        setLineEnd(b[p] == '\n' ? p : p + 1);
      }
      return null;
    }
    return parseSample(p);
  }

  private static final long HELP_PREFIX = prefix("# HELP ");
  private static final long TYPE_PREFIX = prefix("# TYPE ");
  private static final byte[][] TYPE_WORDS = new byte[5][];
  private static final MetricType[] TYPE_OF_WORD = {MetricType.COUNTER, MetricType.GAUGE, MetricType.HISTOGRAM,
      MetricType.SUMMARY, MetricType.UNKNOWN};

  static {
    String[] words = {"counter\n", "gauge\n", "histogram\n", "summary\n", "untyped\n"};
    for (int i = 0; i < words.length; i++) {
      // padded: Swar.equal may read a word past a short key
      TYPE_WORDS[i] = Arrays.copyOf(words[i].getBytes(StandardCharsets.US_ASCII), words[i].length() + 8);
    }
  }

  private static long prefix(String seven) {
    byte[] b = Arrays.copyOf(seven.getBytes(StandardCharsets.US_ASCII), 8);
    return (long) Swar.LONG_LE.get(b, 0);
  }

  /**
   * A HELP or TYPE line of Prometheus text in its usual form: {@code # HELP name text} with plain ASCII text, or
   * {@code # TYPE name word} with a lowercase type word, single spaces, a line feed. Only the help text is scanned,
   * once, for its end and its plainness; a HELP line (with the TYPE line after it) that repeats the previous
   * exposition's is not scanned at all ({@link #repeatedMetadata}). Returns null for anything else before it has
   * changed anything, and
   * {@link #parseTextComment} reads the line from its start; the checks after the family is declared are that
   * method's.
   */
  private ExpositionEvent fastComment(int p) {
    final byte[] b = buf;
    if (p == repeatedTypeAt) {
      return repeatedType();
    }
    if (p + 8 > end) {
      return null;
    }
    long w = (long) Swar.LONG_LE.get(b, p) & 0x00FFFFFFFFFFFFFFL;
    boolean help = w == HELP_PREFIX;
    if (!help && w != TYPE_PREFIX) {
      return null;
    }
    if (help && familiesRepeat && familyCount < previousFamilyCount && famRecLen[familyCount] > 0) {
      ExpositionEvent e = repeatedMetadata(b, p);
      if (e != null) {
        return e;
      }
    }
    int nameAt = p + 7;
    int t;
    if (help && (t = repeatedFamily(b, nameAt)) > 0) {
      // the previous exposition's next family, as usual: no other name to try
      String n = famName[familyCount];
      nameStr = n;
      if (nameBuf != b) {
        nameBuf = b;
      }
      nameOff = nameAt;
      nameLen = t;
      rememberFamilyName(familyCount, t, n);
      t += nameAt;
    } else {
      if ((CC[b[nameAt] & 0xff] & NAME_START) == 0) {
        return null;
      }
      t = parseMetadataName(nameAt);
    }
    if (b[t] != ' ') {
      return null;
    }
    int c = b[++t];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      return null;
    }
    if (help) {
      int to = lineEnd >= 0 ? lineEnd + 1 : Math.min(end, lineStart + limits.maxLineLength() + 1);
      long r = Swar.newlineNoting(b, t, to);
      if (r < 0 || (r & Swar.NOT_PLAIN) != 0 || b[(int) r - 1] == '\r') {
        return null;
      }
      int nl = (int) r;
      lineEnd = nl;
      contentEnd = nl;
      linePlain = true;
      int f = declareFamily(nameAt);
      if (strict && famHelpSeen[f]) {
        throw error("second HELP line for metric name " + famName[f], nameAt, true);
      }
      if (!famHelpSeen[f] && (CC[b[nameAt] & 0xff] & NAME_START) != 0 && t == nameAt + famNameLen[f] + 1) {
        helpRecord(f, p, t, nl);
      } else {
        helpText(f, t, nl);
      }
      famHelpSeen[f] = true;
      return ExpositionEvent.HELP;
    }
    int word = switch (c) {
      case 'c' -> 0;
      case 'g' -> 1;
      case 'h' -> 2;
      case 's' -> 3;
      case 'u' -> 4;
      default -> -1;
    };
    if (word < 0) {
      return null;
    }
    byte[] tw = TYPE_WORDS[word];
    int len = tw.length - 8;
    if (t + len > end || !Swar.equal(b, t, tw, 0, len)) {
      return null;
    }
    if (t + len - 1 - lineStart > limits.maxLineLength()) {
      return null; // a name within maxNameLength can still make the line too long: the general path says so
    }
    lineEnd = t + len - 1;
    contentEnd = lineEnd;
    int f = declareFamily(nameAt);
    MetricType type = TYPE_OF_WORD[word];
    if (famHasSamples[f] && (strict || typeOf(f) != MetricType.UNKNOWN
        || type != MetricType.COUNTER && type != MetricType.GAUGE && type != MetricType.UNKNOWN)) {
      throw error("TYPE line for " + famName[f] + " after its samples", nameAt, true);
    }
    if (strict && famTyped[f]) {
      throw error("second TYPE line for metric name " + famName[f], nameAt, true);
    }
    famType[f] = (byte) type.ordinal();
    famTyped[f] = true;
    epoch++;
    if (recordOpen == f && lineStart == recordNext && (CC[b[nameAt] & 0xff] & NAME_START) != 0) {
      recordType(f, type);
    }
    return ExpositionEvent.TYPE;
  }

  /**
   * The HELP line at p and the TYPE line after it, when they are byte for byte the record of the previous
   * exposition's next family ({@link #helpArena}) while every family so far repeated that exposition's: one
   * (vectorised) comparison reads both lines, proves them what they were (well-formed, plain, within the limits),
   * and leaves the record where it is. Returns null before it has changed anything when they are not.
   *
   * <p>The bytes compared are that record only when it starts where the next record goes: records are written
   * in order from the arena's start, so a record at or after {@link #helpArenaUsed} has not been written over
   * in this exposition; a family declared without a record has a length of 0 ({@link #newFamily}), and one whose
   * record a growing arena did not copy too.
   */
  private ExpositionEvent repeatedMetadata(byte[] b, int p) {
    int g = familyCount;
    int len = famRecLen[g];
    int nameLength = famNameLen[g];
    int at = helpArenaUsed;
    if (famHelpOff[g] - 8 - nameLength != at || p + len > end
        || !Arrays.equals(b, p, p + len, helpArena, at, at + len)) {
      return null;
    }
    // records stay within the limits they were read with: the lines are as long, the names and texts the same
    String n = famName[g];
    nameStr = n;
    if (nameBuf != b) {
      nameBuf = b;
    }
    nameOff = p + 7;
    nameLen = nameLength;
    rememberFamilyName(g, nameLength, n);
    int t = p + 8 + nameLength;
    int nl = t + famHelpLen[g];
    lineEnd = nl;
    contentEnd = nl;
    linePlain = true;
    int type = famRecType[g];
    int f = declareFamily(p + 7); // g, which it does not look up
    helpBytesKept = helpBytesWith(f, t, nl);
    famHelpBytes[f] = nl - t;
    famHelpSeen[f] = true;
    famRecLen[f] = len;
    helpArenaUsed = at + len;
    if (type != 0) {
      repeatedTypeAt = nl + 1;
      repeatedTypeEnd = p + len - 1;
    } else {
      recordOpen = f;
      recordNext = nl + 1;
    }
    return ExpositionEvent.HELP;
  }

  /** The TYPE line that {@link #repeatedMetadata} read with the HELP line of the current family. */
  private ExpositionEvent repeatedType() {
    repeatedTypeAt = -1;
    int f = curFam;
    lineEnd = repeatedTypeEnd;
    contentEnd = repeatedTypeEnd;
    famType[f] = (byte) (famRecType[f] - 1);
    famTyped[f] = true;
    epoch++;
    return ExpositionEvent.TYPE;
  }

  /**
   * Keeps the first HELP line of family f, in its usual form with a plain name at {@code from} and its text at
   * {@code [t, nl)}, as a record at the end of the help arena.
   */
  private void helpRecord(int f, int from, int t, int nl) {
    helpBytesKept = helpBytesWith(f, t, nl);
    famHelpBytes[f] = nl - t;
    int len = nl + 1 - from;
    roomInHelpArena(len);
    System.arraycopy(buf, from, helpArena, helpArenaUsed, len);
    famHelp[f] = null;
    famHelpOff[f] = helpArenaUsed + (t - from);
    famHelpLen[f] = nl - t;
    famRecLen[f] = len;
    famRecType[f] = 0;
    helpArenaUsed += len;
    recordOpen = f;
    recordNext = nl + 1;
  }

  /** Adds the TYPE line just read, in its usual form, to the record of family f's HELP line before it. */
  private void recordType(int f, MetricType type) {
    recordOpen = -1;
    int len = lineEnd + 1 - lineStart;
    roomInHelpArena(len);
    int recEnd = famHelpOff[f] + famHelpLen[f] + 1;
    if (famRecLen[f] > 0 && famRecType[f] == 0 && recEnd == helpArenaUsed) {
      // (still) the last record: growing, the arena compacts the families in order
      System.arraycopy(buf, lineStart, helpArena, helpArenaUsed, len);
      famRecLen[f] += len;
      famRecType[f] = (byte) (type.ordinal() + 1);
      helpArenaUsed += len;
    }
  }

  private ExpositionEvent parseTextComment(int p) {
    final byte[] b = buf;
    p = skipBlanks(p);
    int k = p;
    while (p < contentEnd && (CC[b[p] & 0xff] & BLANK) == 0) {
      p++;
    }
    boolean help = isWord(k, p, 'H', 'E', 'L', 'P');
    boolean type = !help && isWord(k, p, 'T', 'Y', 'P', 'E');
    if (!help && !type) {
      return null;
    }
    p = skipBlanks(p);
    if (p >= contentEnd) {
      return null;
    }
    int nameAt = p;
    p = parseMetadataName(p);
    if (p >= contentEnd) {
      return null;
    }
    if ((CC[b[p] & 0xff] & BLANK) == 0) {
      throw error("invalid metric name in " + (help ? "HELP" : "TYPE") + " line", nameAt, true);
    }
    int f = declareFamily(nameAt);
    p = skipBlanks(p);
    if (p >= contentEnd) {
      return null;
    }
    if (help) {
      if (strict && famHelpSeen[f]) {
        throw error("second HELP line for metric name " + famName[f], nameAt, true);
      }
      helpText(f, p, contentEnd);
      famHelpSeen[f] = true;
      return ExpositionEvent.HELP;
    }
    int typeEnd = contentEnd;
    if (!strict) {
      while (typeEnd > p && (CC[b[typeEnd - 1] & 0xff] & BLANK) != 0) {
        typeEnd--;
      }
    }
    MetricType t = textType(p, typeEnd);
    if (t == null) {
      throw error("unknown metric type \"" + excerptOf(p, typeEnd) + "\"", p, true);
    }
    if (famHasSamples[f] && (strict || typeOf(f) != MetricType.UNKNOWN
        || t != MetricType.COUNTER && t != MetricType.GAUGE && t != MetricType.UNKNOWN)) {
      // lenient, like Prometheus, takes a late TYPE when the samples read so far still fit it
      throw error("TYPE line for " + famName[f] + " after its samples", nameAt, true);
    }
    if (strict && famTyped[f]) {
      throw error("second TYPE line for metric name " + famName[f], nameAt, true);
    }
    famType[f] = (byte) t.ordinal();
    famTyped[f] = true;
    epoch++;
    return ExpositionEvent.TYPE;
  }

  private boolean isWord(int from, int to, char c0, char c1, char c2, char c3) {
    final byte[] b = buf;
    return to - from == 4 && b[from] == c0 && b[from + 1] == c1 && b[from + 2] == c2 && b[from + 3] == c3;
  }

  private MetricType textType(int from, int to) {
    // expfmt accepts the client_model names in any case; lenient also takes the OpenMetrics names as written
    switch (to - from) {
      case 5:
        return matchesIgnoreCase(from, "gauge") ? MetricType.GAUGE : null;
      case 7:
        return matchesIgnoreCase(from, "counter") ? MetricType.COUNTER
            : matchesIgnoreCase(from, "summary") ? MetricType.SUMMARY
            : matchesIgnoreCase(from, "untyped") ? MetricType.UNKNOWN
            : !strict && matches(from, "unknown") ? MetricType.UNKNOWN : null;
      case 9:
        return matchesIgnoreCase(from, "histogram") ? MetricType.HISTOGRAM : null;
      case 15:
        return matchesIgnoreCase(from, "gauge_histogram") ? MetricType.GAUGE_HISTOGRAM : null;
      case 14:
        return !strict && matches(from, "gaugehistogram") ? MetricType.GAUGE_HISTOGRAM : null;
      case 4:
        return !strict && matches(from, "info") ? MetricType.INFO : null;
      case 8:
        return !strict && matches(from, "stateset") ? MetricType.STATESET : null;
      default:
        return null;
    }
  }

  private boolean matchesIgnoreCase(int from, String lowerWord) {
    for (int i = 0; i < lowerWord.length(); i++) {
      int c = buf[from + i];
      if (c >= 'A' && c <= 'Z') {
        c += 'a' - 'A';
      }
      if (c != lowerWord.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private int skipBlanks(int p) {
    final byte[] b = buf;
    byte c;
    while ((c = b[p]) == ' ' || c == '\t') {
      p++;
    }
    return p;
  }

  // =============================================================================================================
  // OpenMetrics 1.0
  // =============================================================================================================

  private ExpositionEvent parseOmLine() {
    final byte[] b = buf;
    int p = lineStart;
    if (eofSeen) {
      throw error("text after '# EOF'", p, false);
    }
    if (b[p] == '#') {
      commentLineEnd();
      return parseOmMetadata(p);
    }
    if (eol(b, p)) {
      throw error("blank line (OpenMetrics does not allow empty lines)", p, true);
    }
    if (b[p] == ' ' || b[p] == '\t') {
      throw error("leading whitespace (OpenMetrics does not allow it)", p, true);
    }
    return fastPath && (CC[b[p] & 0xff] & NAME_START) != 0 && fastSample(p) ? ExpositionEvent.SAMPLE
        : parseSample(p);
  }

  private ExpositionEvent parseOmMetadata(int p) {
    final byte[] b = buf;
    int ce = contentEnd;
    if (p + 1 >= ce || b[p + 1] != ' ') {
      throw error("expected '# HELP', '# TYPE', '# UNIT' or '# EOF' (OpenMetrics has no other comments)", p, true);
    }
    p += 2;
    if (ce - p == 3 && b[p] == 'E' && b[p + 1] == 'O' && b[p + 2] == 'F') {
      eofSeen = true;
      if (!virtualNewline && !atEndOfInput(lineEnd + 1)) {
        throw error("text after '# EOF'", lineEnd, false);
      }
      return null;
    }
    int k = p;
    while (p < ce && b[p] != ' ') {
      p++;
    }
    int which = isWord(k, p, 'H', 'E', 'L', 'P') ? 0 : isWord(k, p, 'T', 'Y', 'P', 'E') ? 1
        : isWord(k, p, 'U', 'N', 'I', 'T') ? 2 : -1;
    if (which < 0 || p >= ce) {
      throw error("expected '# HELP', '# TYPE', '# UNIT' or '# EOF' (OpenMetrics has no other comments)", k, true);
    }
    p++;
    int nameAt = p;
    if (p >= ce) {
      throw error("missing metric name", p, true);
    }
    p = parseMetadataName(p);
    if (p >= ce || b[p] != ' ') {
      throw error(p >= ce ? "missing " + (which == 0 ? "help text" : which == 1 ? "type" : "unit")
          + " after the metric name (a single space is required)" : "invalid metric name", p, true);
    }
    int f = declareFamily(nameAt);
    p++;
    if (strict && famHasSamples[f]) {
      throw error("metadata for " + famName[f] + " after its samples", k, true);
    }
    switch (which) {
      case 0:
        if (strict && famHelpSeen[f]) {
          throw error("second HELP line for " + famName[f], k, true);
        }
        helpText(f, p, ce);
        famHelpSeen[f] = true;
        break;
      case 1: {
        MetricType t = omType(p, ce);
        if (t == null) {
          throw error("unknown metric type \"" + excerptOf(p, ce) + "\"", p, true);
        }
        if (famTyped[f]) {
          throw error("second TYPE line for " + famName[f], k, true);
        }
        if (famHasSamples[f]) {
          throw error("TYPE line for " + famName[f] + " after its samples", k, true);
        }
        famType[f] = (byte) t.ordinal();
        famTyped[f] = true;
        epoch++;
        break;
      }
      default: {
        for (int i = p; i < ce; i++) {
          if ((CC[b[i] & 0xff] & NAME_CHAR) == 0) {
            throw error("invalid character in unit", i, true);
          }
        }
        if (strict && famUnitSeen[f]) {
          throw error("second UNIT line for " + famName[f], k, true);
        }
        famUnit[f] = ce > p ? names.lookup(b, p, ce - p, true) : null;
        famUnitSeen[f] = true;
        break;
      }
    }
    ExpositionEvent e = which == 0 ? ExpositionEvent.HELP : which == 1 ? ExpositionEvent.TYPE : ExpositionEvent.UNIT;
    if (validator != null) {
      validator.onMetadata(e, k);
    }
    return e;
  }

  private MetricType omType(int from, int to) {
    switch (to - from) {
      case 4:
        return matches(from, "info") ? MetricType.INFO : null;
      case 5:
        return matches(from, "gauge") ? MetricType.GAUGE : null;
      case 7:
        return matches(from, "counter") ? MetricType.COUNTER : matches(from, "summary") ? MetricType.SUMMARY
            : matches(from, "unknown") ? MetricType.UNKNOWN : null;
      case 8:
        return matches(from, "stateset") ? MetricType.STATESET : null;
      case 9:
        return matches(from, "histogram") ? MetricType.HISTOGRAM : null;
      case 14:
        return matches(from, "gaugehistogram") ? MetricType.GAUGE_HISTOGRAM : null;
      default:
        return null;
    }
  }

  private boolean matches(int from, String word) {
    for (int i = 0; i < word.length(); i++) {
      if (buf[from + i] != word.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  // =============================================================================================================
  // Metadata helpers
  // =============================================================================================================

  /** Parses a legacy or quoted metric name at p into {@link #nameStr}; returns the index after it. */
  private int parseMetadataName(int p) {
    final byte[] b = buf;
    int c = b[p] & 0xff;
    if ((CC[c] & NAME_START) != 0) {
      int s = p;
      int len = lastNameLen;
      // bounded by the input, not the line (a fast comment line does not know its end yet): a name ends before
      // the line feed anyway
      if (len > 0 && s + len < end && (CC[b[s + len] & 0xff] & NAME_CHAR) == 0
          && Swar.equal(b, s, lastName, lastNameOff, len)) {
        // HELP, then TYPE, then the first samples usually repeat one name
        p = s + len;
        if (nameStr != lastNameStr) {
          nameStr = lastNameStr; // a TYPE line after its HELP line: usually the same
        }
      } else if ((len = repeatedFamily(b, s)) > 0) {
        p = s + len;
        nameStr = famName[familyCount];
        rememberFamilyName(familyCount, len, nameStr);
      } else {
        p = Swar.nameEnd(b, p + 1, end);
        len = p - s;
        checkNameLength(s, len);
        nameStr = metricName(b, s, len);
        rememberName(b, s, len, nameStr);
      }
      if (nameBuf != b) {
        nameBuf = b;
      }
      nameOff = s;
      nameLen = len;
      return p;
    }
    if (c == '"') {
      return parseQuotedName(p, true);
    }
    throw error("invalid metric name", p, true);
  }

  // the previous sample's name, and its family resolution while no metadata or family came in between
  /**
   * The bytes of the last name are {@code lastName[lastNameOff, lastNameOff + lastNameLen)}: a copy, or the name of
   * a family in {@link #famNameBytes}, which {@link #newFamily} forgets before it writes there.
   */
  private byte[] lastNameCopy = new byte[64];
  private byte[] lastName = lastNameCopy;
  private int lastNameOff;
  private int lastNameLen;
  private String lastNameStr;
  /**
   * Changes with {@link #sampleName}: the key of the last family resolution, an int where the name itself would
   * be a reference store (and its write barrier) per family.
   */
  private int nameSerial;
  private int resolvedSerial = -1;
  private int resolvedFamily;
  private SampleKind resolvedKind;
  private int resolvedEpoch;
  /** Changes whenever a metadata line or a new family could change how a sample name resolves. */
  private int epoch;
  /**
   * The label names of earlier lines by position, each with the {@code ="} after it, so that one comparison takes
   * a repeated name and its {@code ="}; a length of 0 where the last name at that position was quoted or spaced.
   */
  private byte[][] lastLabel = new byte[16][];
  private int[] lastLabelLen = new int[16];
  private String[] lastLabelStr = new String[16];
  /**
   * Positions {@code [0, lastLineLabels)} of {@link #lastLabel} hold the names of one line whose labels were found
   * distinct (or a length of 0): a line whose names all come from there has no duplicates to look for.
   */
  private int lastLineLabels;
  /** The current line has a label name that is not the checked previous line's at its position. */
  private boolean labelsFresh;

  /**
   * The length of the plain name at s when it is the previous exposition's next family while every family so far
   * repeated that exposition's in order (a target scraped again lists the same families), else -1. Then the name
   * needs no lookup, and no family of this exposition can have it yet: the previous exposition's families were
   * distinct, and the ones before it are the same.
   */
  private int repeatedFamily(byte[] b, int s) {
    int f = familyCount;
    if (!familiesRepeat || f >= previousFamilyCount || famQuotedOnly[f]) {
      return -1;
    }
    int len = famNameLen[f];
    if (s + len < end && (CC[b[s + len] & 0xff] & NAME_CHAR) == 0
        && Swar.equal(b, s, famNameBytes, famNameOff[f], len)) {
      return len;
    }
    return -1;
  }

  /**
   * The canonical string of a plain metric name: first from the recent names, one per name length modulo 16, so
   * that the alternating names of a summary or histogram ({@code x}, {@code x_sum}, {@code x_count}) are found
   * without hashing; else from the symbol table.
   */
  private String metricName(byte[] b, int s, int len) {
    int slot = len & 15;
    if (recentNameLen[slot] == len && Swar.equal(b, s, recentName[slot], 0, len)) {
      return recentNameStr[slot];
    }
    String name = names.lookup(b, s, len, true);
    byte[] k = recentName[slot];
    if (k == null || k.length < len + 8) {
      k = recentName[slot] = new byte[Math.max(64, len + 16)];
    }
    System.arraycopy(b, s, k, 0, len);
    recentNameLen[slot] = len;
    recentNameStr[slot] = name;
    return name;
  }

  private final byte[][] recentName = new byte[16][];
  private final int[] recentNameLen = new int[16];
  private final String[] recentNameStr = new String[16];

  private void rememberName(byte[] b, int s, int len, String name) {
    byte[] k = lastNameCopy;
    if (k.length < len + 8) {
      k = lastNameCopy = new byte[len + 16];
    }
    System.arraycopy(b, s, k, 0, len);
    if (lastName != k) {
      lastName = k;
    }
    lastNameOff = 0;
    lastNameLen = len;
    lastNameStr = name;
  }

  /** {@link #rememberName} for the name of family f (declared, or the next one repeated): its bytes, not a copy. */
  private void rememberFamilyName(int f, int len, String name) {
    if (lastName != famNameBytes) {
      lastName = famNameBytes;
    }
    lastNameOff = famNameOff[f];
    lastNameLen = len;
    lastNameStr = name;
  }

  /** Remembers label name {@code i} for the next line, when {@code ="} follows it directly. */
  private void rememberLabel(int i, byte[] b, int s, int len, String name) {
    if (i >= lastLabel.length) {
      int n = Math.max(i + 1, lastLabel.length * 2);
      lastLabel = Arrays.copyOf(lastLabel, n);
      lastLabelLen = Arrays.copyOf(lastLabelLen, n);
      lastLabelStr = Arrays.copyOf(lastLabelStr, n);
    }
    if (name == null || b[s + len] != '=' || b[s + len + 1] != '"') {
      lastLabelLen[i] = 0;
      return;
    }
    byte[] k = lastLabel[i];
    if (k == null || k.length < len + 10) {
      k = lastLabel[i] = new byte[len + 16];
    }
    System.arraycopy(b, s, k, 0, len + 2);
    lastLabelLen[i] = len;
    lastLabelStr[i] = name;
  }

  // a metric name given inside the braces, {"my.metric", ...}
  private String braceName;
  private boolean braceNameInEsc;
  private int braceNameOff;
  private int braceNameLen;

  // the last name parsed: canonical string and its (unescaped) bytes
  private String nameStr;
  private byte[] nameBuf;
  private int nameOff;
  private int nameLen;

  /** Parses a quoted name at p (at the opening quote) into {@link #nameStr}; returns the index after it. */
  private int parseQuotedName(int p, boolean metric) {
    int start = escLen;
    int q = scanQuoted(p + 1, true);
    int len = escLen - start;
    if (len == 0) {
      throw error("empty quoted " + (metric ? "metric" : "label") + " name", p, true);
    }
    checkNameLength(p, len);
    nameStr = names.lookup(esc, start, len, quotedAscii);
    nameBuf = esc;
    nameOff = start;
    nameLen = len;
    return q;
  }

  private void checkNameLength(int at, int len) {
    if (len > limits.maxNameLength()) {
      throw limitError("name is longer than " + limits.maxNameLength() + " bytes", "maxNameLength", at, true);
    }
  }

  private int declareFamily(int at) {
    // the current family (TYPE after HELP), or the previous exposition's next family while all before it
    // repeated (then not among this exposition's families): no search
    int f = curFam >= 0 && famName[curFam] == nameStr ? curFam
        : familiesRepeat && familyCount < previousFamilyCount && famName[familyCount] == nameStr ? -1
        : familyOrdinal(nameStr);
    if (f < 0) {
      f = newFamily(nameStr, nameBuf, nameOff, nameLen, at);
    }
    setCurrentFamily(f);
    return f;
  }

  /**
   * Validates the help text of family {@code f} now; plain ASCII text (the usual case) is kept as bytes and only
   * becomes a (canonical) string when asked for, so a consumer that ignores help pays no hashing.
   */
  private void helpText(int f, int from, int to) {
    long kept = helpBytesWith(f, from, to);
    final byte[] b = buf;
    int p = linePlain ? to : Swar.textRun(b, from, to);
    while (p < to && (CC[b[p] & 0xff] & PLAIN_TEXT) != 0) {
      p++;
    }
    // validated before anything is counted: with BadLinePolicy.SKIP a rejected HELP line keeps nothing
    String slow = p == to ? null : helpTextSlow(from, to);
    helpBytesKept = kept;
    if (famRecLen[f] > 0) {
      // a second HELP line: the rest of the record is dead, its text is the family's text as before
      helpArenaGarbage += famRecLen[f] - famHelpLen[f];
      famRecLen[f] = 0;
    }
    famHelpBytes[f] = to - from;
    if (famHelpSeen[f] && famHelpLen[f] > 0 && (slow != null || famHelpLen[f] < to - from)) {
      helpArenaGarbage += famHelpLen[f];
      famHelpLen[f] = 0; // dead: a compaction must not keep it
    }
    if (slow == null) {
      int len = to - from;
      if (famHelpSeen[f] && famHelpLen[f] >= len) {
        // a lenient second HELP line replaces the first in its place: an endless run of them stays in the arena
        System.arraycopy(b, from, helpArena, famHelpOff[f], len);
        helpArenaGarbage += famHelpLen[f] - len;
        famHelp[f] = null;
        famHelpLen[f] = len;
        return;
      }
      roomInHelpArena(len);
      System.arraycopy(b, from, helpArena, helpArenaUsed, len);
      helpAtArenaEnd(f, len);
      return;
    }
    famHelp[f] = slow;
    famHelpLen[f] = -1;
  }

  /**
   * The help bytes the exposition keeps once family f's text is {@code [from, to)} (replacing a text it had), or a
   * limit error when that is more than {@link ParserLimits#maxHelpBytes()}.
   */
  private long helpBytesWith(int f, int from, int to) {
    long kept = helpBytesKept - (famHelpSeen[f] ? famHelpBytes[f] : 0) + (to - from);
    if (kept > limits.maxHelpBytes()) {
      throw limitError("the help texts of the exposition are longer than " + limits.maxHelpBytes() + " bytes",
          "maxHelpBytes", from, false);
    }
    return kept;
  }

  /** Family f's text is the next len bytes of the help arena: copied there just now, or found there in place. */
  private void helpAtArenaEnd(int f, int len) {
    famHelp[f] = null;
    famHelpOff[f] = helpArenaUsed;
    famHelpLen[f] = len;
    helpArenaUsed += len;
  }

  /**
   * Makes room for len more bytes at the help arena's end when there is not: first by dropping replaced help texts
   * when they are half the arena, which moves the texts and records kept.
   */
  private void roomInHelpArena(int len) {
    if (helpArenaUsed + len <= helpArena.length) {
      return;
    }
    long size;
    if (helpArenaGarbage >= helpArenaUsed / 2) {
      size = Math.max(helpArena.length, 2L * (helpArenaUsed - helpArenaGarbage + len));
    } else {
      // doubling, but not far past what maxHelpBytes lets the families keep (live bytes plus as much garbage, and
      // the records' HELP and TYPE lines around their texts)
      long records = Math.max(0, helpArenaUsed - helpBytesKept);
      size = Math.max((long) helpArenaUsed + len,
          Math.min(helpArena.length * 2L, 2L * (limits.maxHelpBytes() + records)));
    }
    // in long arithmetic and clamped: a maxHelpBytes above 1 GiB would overflow an int
    byte[] fresh = new byte[(int) Math.min(size, Integer.MAX_VALUE - 8)];
    int used = 0;
    for (int g = 0; g < familyCount; g++) {
      if (famRecLen[g] > 0) {
        int head = 8 + famNameLen[g];
        System.arraycopy(helpArena, famHelpOff[g] - head, fresh, used, famRecLen[g]);
        famHelpOff[g] = used + head;
        used += famRecLen[g];
      } else if (famHelpSeen[g] && famHelpLen[g] > 0) {
        System.arraycopy(helpArena, famHelpOff[g], fresh, used, famHelpLen[g]);
        famHelpOff[g] = used;
        used += famHelpLen[g];
      }
    }
    // the previous exposition's records that this one has not reached are not copied (zeros, which no line
    // matches, are where they were; but their lengths must not claim them)
    Arrays.fill(famRecLen, familyCount, Math.max(familyCount, previousFamilyCount), 0);
    helpArena = fresh;
    helpArenaUsed = used;
    helpArenaGarbage = 0;
  }

  /** The help of family f, interned on first use. */
  private String help(int f) {
    String h = famHelp[f];
    if (h == null && famHelpSeen[f] && famHelpLen[f] >= 0) {
      h = famHelp[f] = texts.lookup(helpArena, famHelpOff[f], famHelpLen[f], true);
    }
    return h;
  }

  private String helpTextSlow(int from, int to) {
    final byte[] b = buf;
    int start = escLen;
    boolean ascii = true;
    int p = from;
    while (p < to) {
      int c = b[p];
      if (c == '\\') {
        int n = p + 1 < to ? b[p + 1] : -1;
        if (n == '\\' || n == 'n' || n == '"') {
          appendEsc(n == 'n' ? (byte) '\n' : (byte) n);
          p += 2;
        } else if (!om && strict) {
          throw error("invalid escape sequence in HELP text", p, true);
        } else {
          appendEsc((byte) '\\');
          p++;
        }
      } else if (c < 0) {
        int n = Utf8.sequenceLength(b, p);
        if (n < 0 || p + n > to) {
          throw error("invalid UTF-8 in HELP text", p, true);
        }
        ascii = false;
        for (int i = 0; i < n; i++) {
          appendEsc(b[p + i]);
        }
        p += n;
      } else {
        appendEsc((byte) c);
        p++;
      }
    }
    return texts.lookup(esc, start, escLen - start, ascii);
  }

  private void appendEsc(byte v) {
    if (escLen == esc.length) {
      esc = Arrays.copyOf(esc, esc.length * 2);
    }
    esc[escLen++] = v;
  }

  // =============================================================================================================
  // Families
  // =============================================================================================================

  private static int spread(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  private int familyOrdinal(String name) {
    int[] idx = famIndex;
    int m = idx.length - 1;
    int i = spread(name.hashCode()) & m;
    while (true) {
      int v = idx[i];
      if (v == 0) {
        return -1;
      }
      String fn = famName[v - 1];
      if (fn == name || fn.equals(name)) {
        return v <= familyCount ? v - 1 : -1;
      }
      i = (i + 1) & m;
    }
  }

  private int newFamily(String name, byte[] nb, int off, int len, int at) {
    int f = familyCount;
    if (f >= limits.maxFamilies()) {
      throw limitError("exposition has more than " + limits.maxFamilies() + " metric families", "maxFamilies", at,
          false);
    }
    if (f == famName.length) {
      growFamilies();
    }
    if (familiesRepeat && f < previousFamilyCount && famName[f] == name) {
      // the previous exposition's family f, at the same place in famNameBytes: its bytes are there already
      famNameBytesUsed += len;
    } else {
      if (familiesRepeat) {
        familiesRepeat = false;
        // the kept index of the previous exposition: from now on, this exposition's families only
        Arrays.fill(famIndex, 0);
        for (int g = 0; g < f; g++) {
          insertIndex(g);
        }
      }
      if (lastName == famNameBytes) {
        lastNameLen = 0; // the bytes written here may be those of the last name
      }
      if (famNameBytesUsed + len > famNameBytes.length) {
        famNameBytes = Arrays.copyOf(famNameBytes, Math.max(famNameBytes.length * 2, famNameBytesUsed + len));
      }
      System.arraycopy(nb, off, famNameBytes, famNameBytesUsed, len);
      Arrays.fill(suffixNames, f * SUFFIX_COUNT, (f + 1) * SUFFIX_COUNT, null);
      famNameOff[f] = famNameBytesUsed;
      famNameLen[f] = len;
      // only a quoted name comes from esc; repeatedFamily must not find it unquoted when it is no plain name
      famQuotedOnly[f] = nb == esc
          && ((CC[nb[off] & 0xff] & NAME_START) == 0 || Swar.nameEnd(nb, off + 1, off + len) < off + len);
      famNameBytesUsed += len;
    }
    if (famName[f] != name) {
      famName[f] = name; // a repeated family's is there
    }
    famType[f] = (byte) MetricType.UNKNOWN.ordinal();
    famTyped[f] = false;
    famHelp[f] = null;
    famHelpSeen[f] = false;
    famUnit[f] = null;
    famUnitSeen[f] = false;
    famHasSamples[f] = false;
    famRecLen[f] = 0;
    familyCount = f + 1;
    epoch++;
    if (familyCount * 2 > famIndex.length) {
      rebuildIndex(famIndex.length * 2);
    } else if (!familiesRepeat) {
      insertIndex(f); // a repeated family is in the kept index already
    }
    if (validator != null) {
      validator.onNewFamily(f, at);
    }
    return f;
  }

  private void insertIndex(int f) {
    int m = famIndex.length - 1;
    int i = spread(famName[f].hashCode()) & m;
    while (famIndex[i] != 0) {
      i = (i + 1) & m;
    }
    famIndex[i] = f + 1;
  }

  private void rebuildIndex(int size) {
    famIndex = new int[size];
    for (int f = 0, n = familiesRepeat ? Math.max(familyCount, previousFamilyCount) : familyCount; f < n; f++) {
      insertIndex(f);
    }
  }

  private void growFamilies() {
    int n = famName.length * 2;
    famName = Arrays.copyOf(famName, n);
    famType = Arrays.copyOf(famType, n);
    famTyped = Arrays.copyOf(famTyped, n);
    famHelp = Arrays.copyOf(famHelp, n);
    famHelpSeen = Arrays.copyOf(famHelpSeen, n);
    famHelpOff = Arrays.copyOf(famHelpOff, n);
    famHelpLen = Arrays.copyOf(famHelpLen, n);
    famHelpBytes = Arrays.copyOf(famHelpBytes, n);
    famRecLen = Arrays.copyOf(famRecLen, n);
    famRecType = Arrays.copyOf(famRecType, n);
    famUnit = Arrays.copyOf(famUnit, n);
    famUnitSeen = Arrays.copyOf(famUnitSeen, n);
    famHasSamples = Arrays.copyOf(famHasSamples, n);
    famNameOff = Arrays.copyOf(famNameOff, n);
    famNameLen = Arrays.copyOf(famNameLen, n);
    famQuotedOnly = Arrays.copyOf(famQuotedOnly, n);
    suffixNames = Arrays.copyOf(suffixNames, n * SUFFIX_COUNT);
    if (validator != null) {
      validator.growFamilies(n);
    }
  }

  private void setCurrentFamily(int f) {
    curFam = f;
    epoch++;
  }

  /** The sample-name suffix (one of S_*) that the family's type gives this sample kind, in this format. */
  private SampleKind suffixKind(MetricType t, int s) {
    switch (t) {
      case HISTOGRAM:
        return s == S_BUCKET ? SampleKind.BUCKET : s == S_COUNT ? SampleKind.COUNT : s == S_SUM ? SampleKind.SUM
            : s == S_CREATED && om ? SampleKind.CREATED : null;
      case GAUGE_HISTOGRAM:
        return s == S_BUCKET ? SampleKind.BUCKET : s == S_GCOUNT ? SampleKind.COUNT : s == S_GSUM ? SampleKind.SUM
            : null;
      case SUMMARY:
        return s == S_COUNT ? SampleKind.COUNT : s == S_SUM ? SampleKind.SUM
            : s == S_CREATED && om ? SampleKind.CREATED : null;
      case COUNTER:
        return !om ? null : s == S_TOTAL ? SampleKind.VALUE : s == S_CREATED ? SampleKind.CREATED : null;
      case INFO:
        return s == S_INFO ? SampleKind.VALUE : null;
      default:
        return null;
    }
  }

  /** The kind of a sample named exactly like its family, or null when the type requires a suffix. */
  private SampleKind bareKind(MetricType t) {
    switch (t) {
      case SUMMARY:
        return SampleKind.QUANTILE;
      case HISTOGRAM:
      case GAUGE_HISTOGRAM:
      case INFO:
        return null;
      case COUNTER:
        // OpenMetrics wants foo_total; lenient takes a bare counter sample, as Prometheus's scraper does
        return om && strict ? null : SampleKind.VALUE;
      default:
        return SampleKind.VALUE;
    }
  }

  /**
   * Finds the family of the sample named {@code name}, which is {@link #sampleName} (bytes {@code nb[off, off+len)});
   * sets curFam and kind.
   */
  private void resolveFamily(String name, byte[] nb, int off, int len, int at) {
    if (nameSerial == resolvedSerial && epoch == resolvedEpoch) {
      curFam = resolvedFamily;
      if (sampleKind != resolvedKind) {
        sampleKind = resolvedKind;
      }
      return;
    }
    resolveFamilyUncached(name, nb, off, len, at);
    resolved(sampleKind);
  }

  /** Keeps the resolution of the current sample name: the current family, with kind k. */
  private void resolved(SampleKind k) {
    resolvedSerial = nameSerial;
    resolvedFamily = curFam;
    if (resolvedKind != k) {
      resolvedKind = k;
    }
    resolvedEpoch = epoch;
  }

  private void resolveFamilyUncached(String name, byte[] nb, int off, int len, int at) {
    int f = curFam;
    if (f >= 0) {
      if (famName[f] == name) {
        SampleKind k = bareKind(typeOf(f));
        if (k == null) {
          throw wrongSuffix(f, at);
        }
        kind(k);
        return;
      }
      int fl = famNameLen[f];
      if (len > fl && Swar.equal(nb, off, famNameBytes, famNameOff[f], fl)) {
        int s = suffixIndex(nb, off + fl, len - fl);
        if (s >= 0) {
          SampleKind k = suffixKind(typeOf(f), s);
          if (k != null) {
            kind(k);
            if (suffixNames[f * SUFFIX_COUNT + s] != name) {
              suffixNames[f * SUFFIX_COUNT + s] = name;
            }
            return;
          }
        }
      }
    }
    f = familyOrdinal(name);
    if (f >= 0) {
      SampleKind k = bareKind(typeOf(f));
      if (k == null) {
        throw wrongSuffix(f, at);
      }
      setCurrentFamily(f);
      kind(k);
      return;
    }
    for (int s = 0; s < SUFFIX_BYTES.length; s++) {
      byte[] sb = SUFFIX_BYTES[s];
      int bl = len - sb.length;
      if (bl > 0 && Arrays.equals(nb, off + bl, off + len, sb, 0, sb.length)) {
        String base = names.find(nb, off, bl);
        if (base != null) {
          int g = familyOrdinal(base);
          if (g >= 0) {
            SampleKind k = suffixKind(typeOf(g), s);
            if (k != null) {
              setCurrentFamily(g);
              kind(k);
              return;
            }
          }
        }
      }
    }
    f = newFamily(name, nb, off, len, at);
    setCurrentFamily(f);
    kind(SampleKind.VALUE);
  }

  /** Sets the sample's kind; only when it changes, as a reference store pays the collector's write barrier. */
  private void kind(SampleKind k) {
    if (sampleKind != k) {
      sampleKind = k;
    }
  }

  static final int SUFFIX_COUNT = SUFFIXES.length;

  /** The family named like family {@code f} plus suffix {@code s}, or -1; no allocation. */
  int familyWithSuffix(int f, int s) {
    byte[] sb = SUFFIX_BYTES[s];
    int len = famNameLen[f];
    int n = len + sb.length;
    if (numScratch.length < n) {
      numScratch = new byte[n + 8];
    }
    System.arraycopy(famNameBytes, famNameOff[f], numScratch, 0, len);
    System.arraycopy(sb, 0, numScratch, len, sb.length);
    String name = names.find(numScratch, 0, n);
    return name == null ? -1 : familyOrdinal(name);
  }

  /** The family whose name plus suffix {@code s} is the name of family {@code f}, or -1; no allocation. */
  int familyBeforeSuffix(int f, int s) {
    byte[] sb = SUFFIX_BYTES[s];
    int len = famNameLen[f];
    int off = famNameOff[f];
    if (len <= sb.length || !Arrays.equals(famNameBytes, off + len - sb.length, off + len, sb, 0, sb.length)) {
      return -1;
    }
    String base = names.find(famNameBytes, off, len - sb.length);
    return base == null ? -1 : familyOrdinal(base);
  }

  boolean acceptsSuffix(MetricType t, int s) {
    return suffixKind(t, s) != null;
  }

  boolean isOpenMetrics() {
    return om;
  }

  /** Position for errors found at the end of the input. */
  int endPosition() {
    return Math.max(lineStart, Math.min(end, lineEnd));
  }

  private static int suffixIndex(byte[] b, int off, int len) {
    if (len > 8 || off + 8 > b.length) {
      return suffixIndexSlow(b, off, len);
    }
    // the suffix as one masked word against the zero-padded suffixes
    long w = (long) Swar.LONG_LE.get(b, off) & (-1L >>> ((8 - len) << 3));
    for (int s = 0; s < SUFFIX_WORDS.length; s++) {
      if (SUFFIX_WORDS[s] == w && SUFFIX_BYTES[s].length == len) {
        return s;
      }
    }
    return -1;
  }

  private static final long[] SUFFIX_WORDS = new long[SUFFIXES.length];

  static {
    for (int i = 0; i < SUFFIXES.length; i++) {
      SUFFIX_WORDS[i] = (long) Swar.LONG_LE.get(Arrays.copyOf(SUFFIX_BYTES[i], 8), 0);
    }
  }

  private static int suffixIndexSlow(byte[] b, int off, int len) {
    for (int s = 0; s < SUFFIX_BYTES.length; s++) {
      byte[] sb = SUFFIX_BYTES[s];
      if (sb.length == len && Arrays.equals(b, off, off + len, sb, 0, len)) {
        return s;
      }
    }
    return -1;
  }

  private ExpositionParseException wrongSuffix(int f, int at) {
    MetricType t = typeOf(f);
    String n = famName[f];
    String expected;
    switch (t) {
      case HISTOGRAM:
        expected = n + "_bucket, " + n + "_count or " + n + "_sum";
        break;
      case GAUGE_HISTOGRAM:
        expected = n + "_bucket, " + n + "_gcount or " + n + "_gsum";
        break;
      case INFO:
        expected = n + "_info";
        break;
      default:
        expected = n + "_total or " + n + "_created";
        break;
    }
    return error("sample " + n + " does not fit " + t.name().toLowerCase(java.util.Locale.ROOT).replace("_", "")
        + " family " + n + ": expected " + expected, at, true);
  }

  // =============================================================================================================
  // Samples (both formats)
  // =============================================================================================================

  /**
   * The common sample line, in both formats: {@code name value} or {@code name{l="v",...} value} and its line
   * feed, with plain names, one space before a plain decimal value, no timestamp and no exemplar. Everything
   * else (blanks, quoted names, special values, timestamps, exemplars, errors) makes it return false having counted
   * nothing, and {@link #parseSample} reads the line from its start: this path only ever accepts what that one
   * accepts, with the same result, and keeps the per-line work small enough to stay compiled together.
   */
  private boolean fastSample(int p) {
    final byte[] b = buf;
    final int s = p;
    int known = lastLineLabels;
    lastLineLabels = 0;
    int prev = prevLine;
    // invalid until this line succeeds: a failed or rejected line may have overwritten the labels it describes
    prevLine = -1;
    // how many bytes this line repeats of the previous sample line, in one pass over name, labels and values
    int m = prev >= 0 ? Swar.commonPrefix(b, prev, s, prevHead, end) : 0;
    String name;
    int len = prevNameLen;
    int c;
    int suffix = -1;
    if (m > len && prev >= 0) {
      // the same name, and the same byte after it
      name = sampleName;
      p += len;
      c = b[p];
    } else if ((len = lastNameLen) > 0 && (prev < 0 || lastNameStr != sampleName) && p + len < end
        // the byte after the name first: x_sum after x{...} has x as a prefix, and one byte tells
        && (CC[(c = b[p + len]) & 0xff] & NAME_CHAR) == 0 && Swar.equal(b, p, lastName, lastNameOff, len)) {
      // the name of a HELP or TYPE line since the previous sample
      name = lastNameStr;
      p += len;
    } else if ((len = suffixedName(b, p)) >= 0) {
      // the current family's name and a suffix it had before: x_sum after x{...}, x_count after x_sum
      suffix = len & 15;
      name = suffixNames[curFam * SUFFIX_COUNT + suffix];
      len >>>= 4;
      p += len;
      c = b[p];
    } else {
      p = Swar.nameEnd(b, p + 1, end);
      len = p - s;
      if (len > limits.maxNameLength()) {
        return false;
      }
      name = metricName(b, s, len);
      rememberName(b, s, len, name);
      c = b[p];
    }
    labelCount = 0;
    labelsFresh = false;
    if (c == '{') {
      // the labels repeat from the brace on: measured there, so that x_count{...} after x{...} reuses them too
      int ap = prev + prevNameLen;
      int lm = 0;
      if (m > len) {
        lm = m - len; // the same name: m covers it and the brace
      } else if (prevLabelCount > 0 && prev >= 0) {
        lm = Swar.commonPrefix(b, ap, p, prevHead - prevNameLen, end);
      }
      p = fastLabels(p + 1, known, ap, lm, prev + prevHead);
      if (p < 0) {
        return false;
      }
      c = b[p];
    }
    if (c != ' ') {
      return false;
    }
    int head = p + 1 - s;
    int v = p + 2;
    int d = b[p + 1] - '0';
    if (d >= 0 && d <= 9 && b[v] == '\n') {
      // one digit, the most common value (counters and gauges at 0 or 1): no call
      number = d;
    } else {
      v = fastNumber(b, p + 1);
      if (v < 0 || b[v] != '\n') {
        return false;
      }
    }
    // the line is well-formed: from here on as parseSample
    hasExemplar = false;
    braceName = null;
    if (sampleName != name) {
      sampleName = name;
      nameSerial++;
    }
    SampleKind k;
    if (suffix >= 0 && (nameSerial != resolvedSerial || epoch != resolvedEpoch)
        && (k = suffixKind(typeOf(curFam), suffix)) != null) {
      // what resolveFamily would find first: the current family, by its name and this suffix
      kind(k);
      resolved(k);
    } else {
      resolveFamily(name, b, s, len, s);
    }
    if (++seriesCount > maxSeries) {
      throw limitError("exposition has more than " + maxSeries + " samples", "maxSeries", s, false);
    }
    value = number;
    hasTimestamp = false;
    if (lineEnd < 0) {
      lineEnd = v;
      contentEnd = v;
      if (v - lineStart > limits.maxLineLength()) {
        throw limitError("line is longer than " + limits.maxLineLength() + " bytes", "maxLineLength",
            lineStart + limits.maxLineLength(), false);
      }
    }
    if (labelCount > 0) {
      if (labelsFresh && labelCount > 1) {
        checkDuplicateLabels(s);
      }
      lastLineLabels = labelCount;
    }
    famHasSamples[curFam] = true;
    if (validator != null) {
      validator.onSample(s);
    }
    prevLine = s;
    prevHead = head;
    prevNameLen = len;
    prevLabelCount = labelCount;
    return true;
  }

  /**
   * The plain name at s when it is the current family's name followed by a suffix whose sample name
   * {@link #suffixNames} has: its length shifted left by 4, or'ed with the suffix; else -1.
   */
  private int suffixedName(byte[] b, int s) {
    int f = curFam;
    if (f < 0 || famQuotedOnly[f]) {
      return -1; // a name like "my.metric" prefixes no plain name
    }
    int at = s + famNameLen[f];
    if (at >= end || b[at] != '_' || !Swar.equal(b, s, famNameBytes, famNameOff[f], at - s)) {
      return -1;
    }
    int q = Swar.nameEnd(b, at + 1, end);
    int x = suffixIndex(b, at, q - at);
    if (x < 0 || suffixNames[f * SUFFIX_COUNT + x] == null || q - s > limits.maxNameLength()) {
      return -1;
    }
    return (q - s) << 4 | x;
  }

  /**
   * Where the previous sample line read by {@link #fastSample} starts in {@link #buf}, or -1 when its labels are
   * no longer in {@link #lblName} and {@link #lblPos} (another path read a line since, or the buffer moved).
   */
  private int prevLine = -1;
  /** The length of the previous fast sample line up to and including the space before its value. */
  private int prevHead;
  private int prevNameLen;
  private int prevLabelCount;

  /**
   * The labels of {@link #fastSample} after the opening brace: plain names directly followed by {@code ="}, values,
   * commas, the closing brace. Returns the index after the brace, or -1 for anything else. Positions
   * {@code [0, known)} of {@link #lastLabel} are the checked previous line's names. The previous fast sample line's
   * labels (in {@link #lblName} and {@link #lblPos}) open at {@code ap}, and this line repeats {@code m} bytes of
   * them from its own brace on (0 for none); that line's head ends at {@code prevEnd}.
   */
  private int fastLabels(int p, int known, int ap, int m, int prevEnd) {
    final byte[] b = buf;
    final int reuse = m > 0 ? prevLabelCount : 0;
    // bytes [ac, ac + m) of this line repeat [ap, ap + m) of the previous one, at corresponding places
    int ac = p - 1;
    if (reuse > 0) {
      // the labels whose closing quotes repeat, in one tight loop: their names are already in lblName, and their
      // values moved by the distance between the lines
      long[] pos = lblPos;
      long shift = (long) (ac - ap) << 33;
      int repeatEnd = ap + m;
      int li = 0;
      long lp;
      while (li < reuse && ((lp = pos[li]) & IN_ESC) == 0 && valueOffset(lp) + valueLength(lp) < repeatEnd) {
        pos[li++] = lp + shift;
      }
      if (li > 0) {
        lp = pos[li - 1];
        p = valueOffset(lp) + valueLength(lp) + 1;
        labelCount = li;
        int c = b[p];
        if (c != ',') {
          return c == '}' ? p + 1 : -1;
        }
        p++;
      }
    }
    while (true) {
      int li = labelCount;
      long lp;
      int vs;
      if (li < reuse && ((lp = lblPos[li]) & IN_ESC) == 0 && m >= (vs = valueOffset(lp)) - ap) {
        // the line repeats the previous one up to this label's value: the same name at the corresponding place,
        // already in lblName; and the value too when its closing quote repeats
        int vlen = valueLength(lp);
        int cv = ac + (vs - ap);
        if (m > vs - ap + vlen) {
          lblPos[li] = lp + ((long) (cv - vs) << 33);
          p = cv + vlen + 1;
        } else {
          p = scanLabelValue(cv, li);
          if (li + 1 < reuse) {
            // another value (a model, a device), and the labels after it may repeat: compare on from both
            // closing quotes
            ap = vs + vlen + 1;
            ac = p;
            m = Swar.commonPrefix(b, ap, ac, prevEnd - ap, end);
          }
        }
        labelCount = li + 1;
        int c = b[p];
        if (c == ',') {
          p++;
          continue;
        }
        return c == '}' ? p + 1 : -1;
      }
      int len = li < lastLabelLen.length ? lastLabelLen[li] : 0;
      String ln;
      if (len > 0 && p + len + 2 <= end && Swar.equal(b, p, lastLabel[li], 0, len + 2)) {
        ln = lastLabelStr[li];
        if (li >= known) {
          labelsFresh = true;
        }
      } else {
        if ((CC[b[p] & 0xff] & LABEL_START) == 0) {
          return -1;
        }
        int q = Swar.labelNameEnd(b, p + 1, end);
        len = q - p;
        if (b[q] != '=' || b[q + 1] != '"' || len > limits.maxNameLength()) {
          return -1;
        }
        ln = names.lookup(b, p, len, true);
        if (len == 8 && ln.equals("__name__")) {
          return -1;
        }
        rememberLabel(li, b, p, len, ln);
        labelsFresh = true;
      }
      if (li == maxLabels) {
        return -1;
      }
      if (li == lblName.length) {
        growLabels();
      }
      if (lblName[li] != ln) {
        lblName[li] = ln; // only when it changes: a reference store pays the collector's write barrier
      }
      p = scanLabelValue(p + len + 2, li);
      labelCount = li + 1;
      int c = b[p];
      if (c == ',') {
        p++;
        continue;
      }
      return c == '}' ? p + 1 : -1;
    }
  }

  /**
   * The common value: {@code [-]digits[.digits][e[+-]digits]}, at most 18 digits, in range; sets {@link #number}
   * and returns the index after it, or -1 for anything else ({@link #scanNumber} then decides). Never throws.
   */
  private int fastNumber(byte[] b, int p) {
    boolean neg = b[p] == '-';
    if (neg) {
      p++;
    }
    int d0 = p;
    p = digits(b, p, 0);
    long m = digitsValue;
    int digits = p - d0;
    if (b[p] == '\n' && digits > 0 && digits <= 18) {
      // an integer, the usual counter: the long's conversion rounds as the decimal's would
      number = neg ? -(double) m : (double) m;
      return p;
    }
    int exp = 0;
    if (b[p] == '.') {
      int f0 = ++p;
      p = digits(b, p, m);
      m = digitsValue;
      exp = f0 - p;
      digits -= exp;
    }
    if (digits == 0 || digits > 18) {
      return -1;
    }
    int d;
    if ((b[p] | 0x20) == 'e') {
      p++;
      boolean eneg = b[p] == '-';
      if (eneg || b[p] == '+') {
        p++;
      }
      int e0 = p;
      int e = 0;
      while ((d = b[p] - '0') >= 0 && d <= 9 && e < 1000) {
        e = e * 10 + d;
        p++;
      }
      if (p == e0 || e >= 1000) {
        return -1;
      }
      exp += eneg ? -e : e;
    }
    if (isNumberChar(b[p])) {
      return -1;
    }
    double r = m == 0 ? (neg ? -0.0 : 0.0) : DecimalToDouble.toDouble(m, exp, neg);
    if (r != r || r == Double.POSITIVE_INFINITY || r == Double.NEGATIVE_INFINITY) {
      return -1;
    }
    number = r;
    return p;
  }

  /** The significand of the digits read by {@link #digits}. */
  private long digitsValue;

  /**
   * Reads the decimal digits at p onto {@code m} into {@link #digitsValue}; returns the index after them. Two digits
   * a step: their value does not wait for the running total, which then takes one multiply-add per two digits.
   * Overflow past 19 digits is harmless: the caller rejects more than 18. (Eight bytes a step, a mask for how many
   * are digits and three multiplies, was no faster on the usual values of one to seven digits.)
   */
  private int digits(byte[] b, int p, long m) {
    while (true) {
      int d = b[p] - '0';
      if (d < 0 || d > 9) {
        break;
      }
      // a digit is never a line's last byte, so p + 1 is in the buffer
      int e = b[p + 1] - '0';
      if (e < 0 || e > 9) {
        m = m * 10 + d;
        p++;
        break;
      }
      m = m * 100 + (d * 10 + e);
      p += 2;
    }
    digitsValue = m;
    return p;
  }

  private ExpositionEvent parseSample(int p) {
    final byte[] b = buf;
    prevLine = -1;
    labelCount = 0;
    labelsFresh = false;
    hasExemplar = false;
    escLen = 0;
    braceName = null;
    int nameAt = p;
    int c = b[p] & 0xff;
    String name;
    int nameOffset = p;
    int len;
    boolean nameInEsc = false;
    if ((CC[c] & NAME_START) != 0) {
      len = lastNameLen;
      if (p + len < end && (CC[b[p + len] & 0xff] & NAME_CHAR) == 0 && len > 0
          && Swar.equal(b, p, lastName, lastNameOff, len)) {
        // the same name as the previous sample (buckets, label sets of one family): no scan, no lookup
        name = lastNameStr;
        p += len;
      } else {
        p = Swar.nameEnd(b, p + 1, end);
        len = p - nameOffset;
        if (len > limits.maxNameLength()) {
          checkNameLength(nameOffset, len);
        }
        name = metricName(b, nameOffset, len);
        rememberName(b, nameOffset, len, name);
      }
      c = b[p];
      if (c == '{') {
        p = afterLabels(parseLabels(p, true));
      } else if (c == ' ') {
        p++;
        if (!om) {
          p = skipBlanks(p);
          if (b[p] == '{') {
            p = afterLabels(parseLabels(p, true));
          }
        }
      } else if (c == '\t' && !om) {
        p = skipBlanks(p);
        if (b[p] == '{') {
          p = afterLabels(parseLabels(p, true));
        }
      } else {
        throw error(eol(b, p) ? "missing value" : "invalid character in metric name", p, true);
      }
    } else if (c == '{') {
      p = afterLabels(parseLabels(p, false));
      name = braceName;
      if (name == null) {
        throw error("metric name missing", nameAt, true);
      }
      nameInEsc = braceNameInEsc;
      nameOffset = braceNameOff;
      len = braceNameLen;
    } else {
      throw error("invalid metric name", p, true);
    }
    if (eol(b, p)) {
      throw error("missing value", p, true);
    }
    if (sampleName != name) {
      sampleName = name;
      nameSerial++;
    }
    resolveFamily(name, nameInEsc ? esc : b, nameOffset, len, nameAt);
    if (++seriesCount > maxSeries) {
      throw limitError("exposition has more than " + maxSeries + " samples", "maxSeries", nameAt, false);
    }
    if (om && b[p] == ' ') {
      throw error("more than one space before the value", p, true);
    }
    int v = scanNumber(b, p);
    if (v == p) {
      throw error("expected a number as value", p, true);
    }
    value = number;
    p = v;
    hasTimestamp = false;
    if (om) {
      p = omTail(p);
    } else {
      p = textTail(p);
    }
    if (lineEnd < 0) {
      // p is at the end of the content: the line feed, or a lenient \r before it
      setLineEnd(b[p] == '\n' ? p : p + 1);
      if (lineEnd - lineStart > limits.maxLineLength()) {
        throw limitError("line is longer than " + limits.maxLineLength() + " bytes", "maxLineLength",
            lineStart + limits.maxLineLength(), false);
      }
    }
    if (labelCount > 0) {
      if (labelsFresh && labelCount > 1) {
        checkDuplicateLabels(nameAt);
      }
      lastLineLabels = labelCount;
    }
    famHasSamples[curFam] = true;
    if (validator != null) {
      validator.onSample(nameAt);
    }
    return ExpositionEvent.SAMPLE;
  }

  /** After the closing brace: text allows blanks (or none), OpenMetrics exactly one space. */
  private int afterLabels(int p) {
    final byte[] b = buf;
    if (om) {
      if (b[p] != ' ') {
        throw error(eol(b, p) ? "missing value" : "expected a single space after '}'", p, true);
      }
      return p + 1;
    }
    return skipBlanks(p);
  }

  private int textTail(int p) {
    final byte[] b = buf;
    int c = b[p];
    if (eol(b, p)) {
      return p;
    }
    if (c != ' ' && c != '\t') {
      throw error("invalid value", p, true);
    }
    p = skipBlanks(p);
    if (eol(b, p)) {
      return p;
    }
    p = scanTextTimestamp(p);
    if (!eol(b, p)) {
      int q = skipBlanks(p);
      if (q == p) {
        throw error("expected an integer timestamp in milliseconds", p, true);
      }
      if (!eol(b, q)) {
        throw error("unexpected text after the timestamp", q, true);
      }
      p = q;
    }
    return p;
  }

  private int scanTextTimestamp(int p) {
    final byte[] b = buf;
    int s = p;
    boolean neg = false;
    if (b[p] == '-' || b[p] == '+') {
      neg = b[p] == '-';
      p++;
    }
    int d0 = p;
    long v = 0; // accumulated negatively to reach Long.MIN_VALUE
    int d;
    while ((d = b[p] - '0') >= 0 && d <= 9) {
      if (v < (Long.MIN_VALUE + d) / 10) {
        throw error("timestamp out of the int64 range", s, true);
      }
      v = v * 10 - d;
      p++;
    }
    if (p == d0 || isNumberChar(b[p])) {
      throw error("expected an integer timestamp in milliseconds", s, true);
    }
    if (!neg) {
      if (v == Long.MIN_VALUE) {
        throw error("timestamp out of the int64 range", s, true);
      }
      v = -v;
    }
    if (v == Long.MIN_VALUE) {
      // reserved as "no timestamp" by the snapshot model; 292 million years BC is not a real scrape time
      throw error("timestamp out of range", s, true);
    }
    hasTimestamp = true;
    timestampMillis = v;
    timestampNanos = 0;
    return p;
  }

  private int omTail(int p) {
    final byte[] b = buf;
    if (eol(b, p)) {
      return p;
    }
    if (b[p] != ' ') {
      throw error("invalid value", p, true);
    }
    p++;
    if (b[p] != '#') {
      int t = scanOmTimestamp(b, p);
      if (t == p) {
        throw error(eol(b, p) ? "trailing space" : "invalid timestamp", p, true);
      }
      hasTimestamp = true;
      timestampMillis = tsMs;
      timestampNanos = tsNs;
      p = t;
      if (eol(b, p)) {
        return p;
      }
      if (b[p] != ' ') {
        throw error("invalid timestamp", p, true);
      }
      p++;
      if (b[p] != '#') {
        throw error(eol(b, p) ? "trailing space" : "unexpected text after the timestamp", p, true);
      }
    }
    return parseExemplar(p);
  }

  private int parseExemplar(int p) {
    final byte[] b = buf;
    int at = p;
    if (b[p + 1] != ' ' || b[p + 2] != '{') {
      throw error("expected '# {' to start an exemplar", p, true);
    }
    p = parseExemplarLabels(p + 2);
    if (b[p] != ' ') {
      throw error("expected a space and the exemplar value", p, true);
    }
    p++;
    int v = scanNumber(b, p);
    if (v == p) {
      throw error("expected a number as exemplar value", p, true);
    }
    exValue = number;
    p = v;
    exHasTimestamp = false;
    if (!eol(b, p)) {
      if (b[p] != ' ') {
        throw error("invalid exemplar value", p, true);
      }
      p++;
      int t = scanOmTimestamp(b, p);
      if (t == p) {
        throw error(eol(b, p) ? "trailing space" : "invalid exemplar timestamp", p, true);
      }
      exHasTimestamp = true;
      exTimestampMillis = tsMs;
      p = t;
      if (!eol(b, p)) {
        throw error("unexpected text after the exemplar", p, true);
      }
    }
    int cp = 0;
    for (int i = 0; i < exCount; i++) {
      cp += exName[i].codePointCount(0, exName[i].length()) + Utf8.codePoints(esc, exOff[i], exOff[i] + exLen[i]);
    }
    int max = strict ? 128 : limits.maxExemplarLabelCodePoints();
    if (cp > max) {
      if (strict) {
        throw error("exemplar labels have " + cp + " code points, more than the 128 OpenMetrics allows", at, true);
      }
      throw limitError("exemplar labels have " + cp + " code points, more than " + max,
          "maxExemplarLabelCodePoints", at, true);
    }
    hasExemplar = true;
    return p;
  }

  // ---- labels -------------------------------------------------------------------------------------------------

  /**
   * Parses {@code {...}} at p; returns the index after the closing brace. Without {@code nameKnown}, a first
   * element without {@code =} is the metric name ({@link #braceName}).
   */
  private int parseLabels(int p, boolean nameKnown) {
    final byte[] b = buf;
    p++;
    int known = lastLineLabels;
    lastLineLabels = 0;
    boolean afterComma = false;
    boolean first = true;
    while (true) {
      int li = labelCount;
      int len = li < lastLabelLen.length ? lastLabelLen[li] : 0;
      if (len > 0 && p + len + 2 <= end && Swar.equal(b, p, lastLabel[li], 0, len + 2)) {
        // the label name at this position in earlier lines, and its '="': no scan, no lookup, checked already
        if (li >= known) {
          labelsFresh = true;
        }
        p = addLabel(p + len + 2, li, lastLabelStr[li], p);
      } else {
        if (!om) {
          p = skipBlanks(p);
        }
        int c = b[p] & 0xff;
        if (c == '}') {
          if (afterComma && om) {
            throw error("trailing comma in labels", p - 1, true);
          }
          return p + 1;
        }
        int at = p;
        boolean quoted = c == '"';
        String ln;
        if ((CC[c] & LABEL_START) != 0) {
          p = Swar.labelNameEnd(b, p + 1, end);
          len = p - at;
          checkNameLength(at, len);
          ln = names.lookup(b, at, len, true);
        } else if (quoted) {
          p = parseQuotedName(p, false);
          ln = nameStr;
          len = nameLen;
        } else {
          throw error("invalid label name", p, true);
        }
        if (!om) {
          p = skipBlanks(p);
        }
        c = b[p];
        if (c == '=') {
          p++;
          if (!om) {
            p = skipBlanks(p);
          }
          if (b[p] != '"') {
            throw error("expected '\"' to start the value of label " + ln, p, true);
          }
          if (li == maxLabels) {
            throw limitError("more than " + li + " labels", "maxLabelsPerSeries", at, true);
          }
          if (len == 8 && ln.equals("__name__")) {
            throw error("label name __name__ is reserved", at, true);
          }
          labelsFresh = true;
          rememberLabel(li, b, at, len, quoted ? null : ln);
          p = addLabel(p + 1, li, ln, at);
        } else if ((c == ',' || c == '}') && first && !nameKnown && braceName == null && (quoted || !om)) {
          // a metric name inside the braces: {"my.metric", a="b"}
          braceName = ln;
          braceNameInEsc = quoted;
          braceNameOff = quoted ? nameOff : at;
          braceNameLen = len;
        } else if ((c == ',' || c == '}') && quoted && (nameKnown || braceName != null)) {
          throw error("metric name given twice", at, true);
        } else {
          throw error("expected '=' after label name " + ln, p, true);
        }
      }
      first = false;
      int c = b[p];
      if (c != ',' && c != '}' && !om) {
        p = skipBlanks(p);
        c = b[p];
      }
      if (c == ',') {
        p++;
        afterComma = true;
        continue;
      }
      if (c == '}') {
        return p + 1;
      }
      throw error(eol(b, p) ? "missing '}'" : "expected ',' or '}' after label value", p, true);
    }
  }

  /** Label {@code i} named {@code ln}, its value starting at p (after the quote); returns the index after it. */
  private int addLabel(int p, int i, String ln, int at) {
    if (i == maxLabels) {
      throw limitError("more than " + i + " labels", "maxLabelsPerSeries", at, true);
    }
    if (i == lblName.length) {
      growLabels();
    }
    if (lblName[i] != ln) {
      lblName[i] = ln; // only when it changes: a reference store pays the collector's write barrier
    }
    p = scanLabelValue(p, i);
    labelCount = i + 1;
    return p;
  }

  private void growLabels() {
    int n = lblName.length * 2;
    lblViews = grownViews(lblViews, n, false);
    lblName = Arrays.copyOf(lblName, n);
    lblPos = Arrays.copyOf(lblPos, n);
  }

  /**
   * Scans a label value after its opening quote; returns the index after the closing quote. A value without
   * escapes stays where it is in the input, UTF-8 included (checked in place); only escapes are copied out.
   */
  private int scanLabelValue(int p, int i) {
    long r = Swar.valueRun(buf, p, end);
    int q = (int) r;
    if ((r & Swar.QUOTE) == 0) {
      return scanLabelValueSlow(p, q, i);
    }
    int len = q - p;
    if (len > limits.maxLabelValueLength()) {
      throw limitError("label value is longer than " + limits.maxLabelValueLength() + " bytes",
          "maxLabelValueLength", p, true);
    }
    lblPos[i] = (long) p << 33 | (long) len << 2 | ASCII;
    return q + 1;
  }

  /** {@link #scanLabelValue} from {@code p}, where the plain ASCII part starting at {@code s} ends or may end. */
  private int scanLabelValueSlow(int s, int p, int i) {
    final byte[] b = buf;
    boolean ascii = true;
    int c;
    while (true) {
      p = Swar.plainRun(b, p, end);
      while ((CC[(c = b[p]) & 0xff] & PLAIN) != 0) {
        p++;
      }
      if (c == '"') {
        break;
      }
      if (c >= 0) {
        return scanEscapedValue(s, i);
      }
      int n = Utf8.sequenceLength(b, p);
      if (n < 0) {
        throw error("invalid UTF-8", p, true);
      }
      ascii = false;
      p += n;
    }
    int len = p - s;
    if (len > limits.maxLabelValueLength()) {
      throw limitError("label value is longer than " + limits.maxLabelValueLength() + " bytes",
          "maxLabelValueLength", s, true);
    }
    lblPos[i] = (long) s << 33 | (long) len << 2 | (ascii ? ASCII : 0);
    return p + 1;
  }

  /** A label value with a backslash or a raw line feed: unescaped into {@link #esc} (or rejected). */
  private int scanEscapedValue(int s, int i) {
    int start = escLen;
    int q = scanQuoted(s, false);
    int len = escLen - start;
    if (len > limits.maxLabelValueLength()) {
      throw limitError("label value is longer than " + limits.maxLabelValueLength() + " bytes",
          "maxLabelValueLength", s, true);
    }
    lblPos[i] = (long) start << 33 | (long) len << 2 | IN_ESC | (quotedAscii ? ASCII : 0);
    return q;
  }

  private boolean quotedAscii;

  /**
   * Copies a quoted string's content from p (after the opening quote) into {@link #esc}, unescaping and
   * validating UTF-8; sets {@link #quotedAscii}; returns the index after the closing quote.
   */
  private int scanQuoted(int p, boolean isName) {
    final byte[] b = buf;
    boolean ascii = true;
    while (true) {
      int c = b[p];
      if (c == '"') {
        quotedAscii = ascii;
        return p + 1;
      }
      if (c == '\\') {
        int n = b[p + 1];
        if (n == '\\' || n == '"') {
          appendEsc((byte) n);
          p += 2;
        } else if (n == 'n') {
          appendEsc((byte) '\n');
          p += 2;
        } else if (n == '\n') {
          throw error("unterminated quoted string", p, true);
        } else if (strict && !om || isName) {
          throw error("invalid escape sequence '\\" + (char) (n & 0xff) + "'", p, true);
        } else {
          // OpenMetrics allows a backslash before any character, and Prometheus keeps unknown escapes as written
          appendEsc((byte) '\\');
          p++;
        }
      } else if (c == '\n') {
        throw error("unterminated quoted string", p, true);
      } else if (c < 0) {
        int n = Utf8.sequenceLength(b, p);
        if (n < 0) {
          throw error("invalid UTF-8", p, true);
        }
        ascii = false;
        for (int i = 0; i < n; i++) {
          appendEsc(b[p + i]);
        }
        p += n;
      } else {
        appendEsc((byte) c);
        p++;
      }
    }
  }

  private int parseExemplarLabels(int p) {
    final byte[] b = buf;
    p++;
    exCount = 0;
    boolean afterComma = false;
    while (true) {
      int c = b[p] & 0xff;
      if (c == '}') {
        if (afterComma) {
          throw error("trailing comma in exemplar labels", p - 1, true);
        }
        return p + 1;
      }
      int at = p;
      if ((CC[c] & LABEL_START) != 0) {
        int s = p++;
        while ((CC[b[p] & 0xff] & LABEL_CHAR) != 0) {
          p++;
        }
        checkNameLength(s, p - s);
        nameStr = names.lookup(b, s, p - s, true);
      } else if (c == '"') {
        p = parseQuotedName(p, false);
      } else {
        throw error("invalid exemplar label name", p, true);
      }
      if (b[p] != '=' || b[p + 1] != '"') {
        throw error("expected '=\"' after exemplar label name " + nameStr, p, true);
      }
      int i = exCount;
      if (i == limits.maxLabelsPerSeries()) {
        throw limitError("more than " + i + " exemplar labels", "maxLabelsPerSeries", at, true);
      }
      if (i == exName.length) {
        int n = i * 2;
        exName = Arrays.copyOf(exName, n);
        exOff = Arrays.copyOf(exOff, n);
        exLen = Arrays.copyOf(exLen, n);
        exAscii = Arrays.copyOf(exAscii, n);
      }
      exName[i] = nameStr;
      for (int j = 0; j < i; j++) {
        if (exName[j] == nameStr) {
          throw error("duplicate exemplar label " + nameStr, at, true);
        }
      }
      int start = escLen;
      p = scanQuoted(p + 2, false);
      exOff[i] = start;
      exLen[i] = escLen - start;
      exAscii[i] = quotedAscii;
      exCount = i + 1;
      afterComma = false;
      if (b[p] == ',') {
        p++;
        afterComma = true;
      } else if (b[p] != '}') {
        throw error("expected ',' or '}' after exemplar label value", p, true);
      }
    }
  }

  private void checkDuplicateLabels(int at) {
    String[] n = lblName;
    int count = labelCount;
    for (int i = 1; i < count; i++) {
      String a = n[i];
      for (int j = 0; j < i; j++) {
        String o = n[j];
        if (o == a || o.hashCode() == a.hashCode() && o.equals(a)) {
          throw error("duplicate label name " + a, at, true);
        }
      }
    }
  }

  // =============================================================================================================
  // Numbers
  // =============================================================================================================

  /**
   * Scans a number at p (value grammar: decimal with optional sign, fraction and exponent; {@code [+-]inf},
   * {@code [+-]infinity}, {@code nan}, case-insensitive) into {@link #number}. The byte after the number must not
   * continue it, which the caller checks. Returns p when there is no number.
   */
  private int scanNumber(byte[] b, int p) {
    int start = p;
    boolean neg = false;
    int c = b[p];
    if (c == '-' || c == '+') {
      neg = c == '-';
      c = b[++p];
    }
    // m keeps at most 19 significant digits, as an unsigned value (it may pass 2^63): below 10^18 another digit
    // always fits
    long m = 0;
    int exp = 0;
    boolean truncated = false;
    int d0 = p;
    int d;
    // eight digits at a time while they fit: long counters and timestamps have many
    while (p + 8 <= b.length && m < 10_000_000_000L && m >= 0) {
      long w = (long) Swar.LONG_LE.get(b, p);
      if (!Swar.eightDigits(w)) {
        break;
      }
      m = m * 100_000_000L + Swar.eightDigitsValue(w);
      p += 8;
      c = b[p];
    }
    while ((d = c - '0') >= 0 && d <= 9) {
      if (0 <= m && m < 1_000_000_000_000_000_000L) {
        m = m * 10 + d;
      } else {
        exp++;
        truncated |= d != 0;
      }
      c = b[++p];
    }
    boolean digits = p > d0;
    if (c == '.') {
      c = b[++p];
      int f0 = p;
      while (p + 8 <= b.length && m < 10_000_000_000L && m >= 0) {
        long w = (long) Swar.LONG_LE.get(b, p);
        if (!Swar.eightDigits(w)) {
          break;
        }
        m = m * 100_000_000L + Swar.eightDigitsValue(w);
        exp -= 8;
        p += 8;
        c = b[p];
      }
      while ((d = c - '0') >= 0 && d <= 9) {
        if (0 <= m && m < 1_000_000_000_000_000_000L) {
          m = m * 10 + d;
          exp--;
        } else {
          truncated |= d != 0;
        }
        c = b[++p];
      }
      digits |= p > f0;
    }
    if (!digits) {
      return scanSpecial(b, start, neg);
    }
    if ((c | 0x20) == 'e') {
      int e0 = p;
      c = b[++p];
      boolean eneg = false;
      if (c == '-' || c == '+') {
        eneg = c == '-';
        c = b[++p];
      }
      int ed = p;
      int e = 0;
      while ((d = c - '0') >= 0 && d <= 9) {
        if (e < 100_000) {
          e = e * 10 + d;
        }
        c = b[++p];
      }
      if (p == ed) {
        return e0 == start ? start : failNumber(start);
      }
      exp += eneg ? -e : e;
    }
    if (isNumberChar(c)) {
      return failNumber(start);
    }
    if (m == 0) {
      number = neg ? -0.0 : 0.0;
      return p;
    }
    double r = DecimalToDouble.toDouble(m, exp, neg);
    if (truncated && r == r) {
      if (DecimalToDouble.toDouble(m + 1, exp, neg) != r) {
        r = Double.NaN;
      }
    }
    if (r != r) {
      r = Double.parseDouble(new String(b, start, p - start, StandardCharsets.ISO_8859_1));
    }
    if (r == Double.POSITIVE_INFINITY || r == Double.NEGATIVE_INFINITY) {
      return failRange(start);
    }
    number = r;
    return p;
  }

  /**
   * A finite decimal beyond the double range: Go's {@code strconv.ParseFloat}, which Prometheus's text and
   * OpenMetrics parsers call, fails with a range error there instead of rounding to infinity (below the smallest
   * subnormal it gives 0 without an error, and so do we).
   */
  private int failRange(int start) {
    throw error("number out of range: beyond the largest double (1.7976931348623157e308); write +Inf or -Inf for"
        + " an infinite value", start, true);
  }

  /** Letters, digits, dots, underscores: a token that runs on past a number is not a number. */
  private static boolean isNumberChar(int c) {
    return (CC[c & 0xff] & NAME_CHAR) != 0 || c == '.' || c == '+' || c == '-';
  }

  private int failNumber(int start) {
    throw error("invalid number", start, true);
  }

  private int scanSpecial(byte[] b, int start, boolean neg) {
    int p = start;
    if (b[p] == '+' || b[p] == '-') {
      p++;
    }
    int c0 = b[p] | 0x20;
    if (c0 == 'i' && (b[p + 1] | 0x20) == 'n' && (b[p + 2] | 0x20) == 'f') {
      int q = p + 3;
      if ((b[q] | 0x20) == 'i' && (b[q + 1] | 0x20) == 'n' && (b[q + 2] | 0x20) == 'i' && (b[q + 3] | 0x20) == 't'
          && (b[q + 4] | 0x20) == 'y') {
        q += 5;
      }
      if (isNumberChar(b[q])) {
        return failNumber(start);
      }
      number = neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      return q;
    }
    if (p == start && c0 == 'n' && (b[p + 1] | 0x20) == 'a' && (b[p + 2] | 0x20) == 'n') {
      if (isNumberChar(b[p + 3])) {
        return failNumber(start);
      }
      number = Double.NaN;
      return p + 3;
    }
    if (p == start && (CC[b[p] & 0xff] & (NAME_CHAR | BLANK)) == 0 && b[p] != '.') {
      return start;
    }
    return failNumber(start);
  }

  /** Parses a whole byte range as a number (for label values); false when it is not one. */
  boolean parseNumber(byte[] src, int off, int len) {
    if (numScratch.length < len + 8) {
      numScratch = new byte[len + 8];
    }
    System.arraycopy(src, off, numScratch, 0, len);
    numScratch[len] = '\n';
    try {
      int e = scanNumber(numScratch, 0);
      return e == len && len > 0;
    } catch (ExpositionParseException ex) {
      return false;
    }
  }

  double parsedNumber() {
    return number;
  }

  private static final long[] POW10 = new long[19];

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }

  /**
   * Scans an OpenMetrics timestamp (float seconds: a real number, no inf or nan) at p into {@link #tsMs} and
   * {@link #tsNs}, exactly, by integer arithmetic on up to 18 significant digits and the decimal exponent
   * (magnitudes beyond the {@code long} range of milliseconds saturate); returns p when there is none.
   */
  private int scanOmTimestamp(byte[] b, int p) {
    int start = p;
    boolean neg = false;
    if (b[p] == '-' || b[p] == '+') {
      neg = b[p] == '-';
      p++;
    }
    long d = 0;
    int nd = 0;
    int k = 0;
    int d0 = p;
    int c;
    while ((c = b[p] - '0') >= 0 && c <= 9) {
      if (nd < 18) {
        if (d != 0 || c != 0) {
          d = d * 10 + c;
          nd++;
        }
      } else {
        k++; // beyond 10^18 seconds the milliseconds saturate anyway
      }
      p++;
    }
    boolean digits = p > d0;
    if (b[p] == '.') {
      p++;
      int f0 = p;
      while ((c = b[p] - '0') >= 0 && c <= 9) {
        if (nd < 18) {
          if (d != 0 || c != 0) {
            d = d * 10 + c;
            nd++;
          }
          k--;
        }
        p++;
      }
      digits |= p > f0;
    }
    if (!digits) {
      if (isNumberChar(b[start]) || b[start] == '.') {
        return failTimestamp(start);
      }
      return start;
    }
    if ((b[p] | 0x20) == 'e') {
      p++;
      boolean eneg = false;
      if (b[p] == '+' || b[p] == '-') {
        eneg = b[p] == '-';
        p++;
      }
      int ed = p;
      int e = 0;
      while ((c = b[p] - '0') >= 0 && c <= 9) {
        if (e < 100_000) {
          e = e * 10 + c;
        }
        p++;
      }
      if (p == ed) {
        return failTimestamp(start);
      }
      k += eneg ? -e : e;
    }
    if (isNumberChar(b[p])) {
      return failTimestamp(start);
    }
    long ms;
    int ns;
    int e3 = k + 3;
    if (d == 0) {
      ms = 0;
      ns = 0;
    } else if (e3 >= 0) {
      ms = e3 > 18 || d > Long.MAX_VALUE / POW10[e3] ? Long.MAX_VALUE : d * POW10[e3];
      ns = 0;
    } else {
      int q = -e3;
      ms = q > 18 ? 0 : d / POW10[q];
      long rem = q > 18 ? d : d % POW10[q];
      int e9 = 6 - q;
      ns = e9 >= 0 ? (int) (rem * POW10[e9]) : -e9 > 18 ? 0 : (int) (rem / POW10[-e9]);
    }
    tsMs = neg ? -ms : ms;
    tsNs = neg ? -ns : ns;
    return p;
  }

  private int failTimestamp(int start) {
    throw error("invalid timestamp (OpenMetrics timestamps are seconds: digits, '.', exponent)", start, true);
  }

  // =============================================================================================================
  // Format detection and foreign bodies
  // =============================================================================================================

  /** A gzip or HTML body gets an error that says so, before a confusing syntax error. */
  private void checkForeignBody() {
    final byte[] b = buf;
    int p = pos;
    if (end - p >= 2 && (b[p] & 0xff) == 0x1f && (b[p + 1] & 0xff) == 0x8b) {
      throw error("the input is gzip-compressed (starts with 1f 8b): decompress it first, or the server sent"
          + " gzip without Content-Encoding", p, false);
    }
    int q = p;
    while (q < end && q < p + FOREIGN_BODY_BLANKS && (b[q] == ' ' || b[q] == '\t' || b[q] == '\r' || b[q] == '\n')) {
      q++;
    }
    if (q < end && b[q] == '<') {
      throw error("the input is an HTML or XML page, not a metrics exposition (an error page or a login page?)",
          q, false);
    }
    if (end - p >= 3 && (b[p] & 0xff) == 0xEF && (b[p + 1] & 0xff) == 0xBB && (b[p + 2] & 0xff) == 0xBF) {
      if (strict || om) {
        throw error("the input starts with a UTF-8 byte order mark", p, false);
      }
      pos = p + 3;
    }
  }

  // =============================================================================================================
  // Errors
  // =============================================================================================================

  ExpositionParseException error(String reason, int at, boolean lineScoped) {
    return build(reason, at, null, lineScoped);
  }

  ExpositionParseException limitError(String reason, String setting, int at, boolean lineScoped) {
    return build(reason + " (raise ParserLimits." + setting + ")", at, setting, lineScoped);
  }

  private ExpositionParseException build(String reason, int at, String limit, boolean lineScoped) {
    int ls = lineStart;
    int le = lineEnd >= 0 ? Math.min(lineEnd, end) : indexOrEnd(ls);
    if (lineNumber == 0) {
      ls = pos;
      le = Math.min(end, indexOrEnd(pos));
    }
    int a = Math.max(ls, Math.min(at, le));
    int line = Math.max(lineNumber, 1);
    int column = Utf8.codePoints(buf, ls, a) + 1;
    // A last line without a line feed ends one past the input; an error there still points inside it.
    long offset = baseOffset + Math.min(at, end);
    return new ExpositionParseException(reason, line, column, offset, excerpt(ls, le, a), limit, lineScoped);
  }

  private int indexOrEnd(int from) {
    int nl = Swar.indexOfNewline(buf, from, Math.min(end, from + 4096));
    return nl < 0 ? Math.min(end, from + 4096) : nl;
  }

  private String excerpt(int ls, int le, int at) {
    int from = Math.max(ls, at - 60);
    int to = Math.min(le, Math.max(at + 60, from + 120));
    StringBuilder sb = new StringBuilder(to - from + 8);
    if (from > ls) {
      sb.append("...");
    }
    appendPrintable(sb, from, to);
    if (to < le) {
      sb.append("...");
    }
    return sb.toString();
  }

  private String excerptOf(int from, int to) {
    StringBuilder sb = new StringBuilder();
    appendPrintable(sb, from, Math.min(to, from + 80));
    return sb.toString();
  }

  /**
   * {@code \xNN}, without {@link String#format}: with {@link BadLinePolicy#SKIP} a body of bad binary lines builds
   * an excerpt per line, and a Formatter per byte made that hundreds of bytes of garbage per input byte.
   */
  private static void appendHexEscape(StringBuilder sb, int c) {
    sb.append('\\').append('x').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
  }

  private void appendPrintable(StringBuilder sb, int from, int to) {
    final byte[] b = buf;
    int i = from;
    while (i < to) {
      int c = b[i] & 0xff;
      if (c >= 0x20 && c < 0x7f) {
        sb.append((char) c);
        i++;
      } else if (c >= 0x80) {
        // an excerpt of a body's first bytes (a foreign-body error) or of a last line without a line feed has no
        // line feed after it to stop the read: the bounded form
        int n = Utf8.sequenceLength(b, i, end);
        if (n > 0 && i + n > to) {
          break; // a character cut by the excerpt's end
        }
        if (n > 0) {
          sb.append(new String(b, i, n, StandardCharsets.UTF_8));
          i += n;
        } else {
          appendHexEscape(sb, c);
          i++;
        }
      } else {
        appendHexEscape(sb, c);
        i++;
      }
    }
  }

  // =============================================================================================================
  // Builder
  // =============================================================================================================

  /** Configures an {@link ExpositionParser}. */
  public static final class Builder {
    private ExpositionFormat format;
    private boolean strict;
    private BadLinePolicy badLinePolicy = BadLinePolicy.REJECT;
    private ParserLimits limits = ParserLimits.DEFAULTS;
    private int symbolTableCapacity = 65_536;

    private Builder() {}

    /**
     * The format to parse; without one (the default), each input's format is detected: OpenMetrics when it ends
     * with {@code # EOF} (or its first 64 KiB show OpenMetrics-only syntax), else Prometheus text. A scraper
     * should pass the format of the response's {@code Content-Type} to {@code reset(...)} instead.
     *
     * @param format the format, or {@code null} to detect
     * @return this builder
     */
    public Builder format(ExpositionFormat format) {
      this.format = format;
      return this;
    }

    /**
     * Whether to apply the strict rules (see the class documentation). Default false.
     *
     * @param strict true for strict
     * @return this builder
     */
    public Builder strict(boolean strict) {
      this.strict = strict;
      return this;
    }

    /**
     * What to do with a bad line. Default {@link BadLinePolicy#REJECT}.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder badLinePolicy(BadLinePolicy policy) {
      this.badLinePolicy = Objects.requireNonNull(policy, "badLinePolicy");
      return this;
    }

    /**
     * Processing limits. Default {@link ParserLimits#DEFAULTS}.
     *
     * @param limits the limits
     * @return this builder
     */
    public Builder limits(ParserLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Most distinct names (and, separately, label values) the parser keeps as canonical strings. Beyond it, new
     * names still parse but each occurrence allocates its own string. Default 65,536.
     *
     * @param entries at least 16
     * @return this builder
     */
    public Builder symbolTableCapacity(int entries) {
      if (entries < 16) {
        throw new IllegalArgumentException("symbolTableCapacity must be at least 16: " + entries);
      }
      this.symbolTableCapacity = entries;
      return this;
    }

    /**
     * Builds the parser.
     *
     * @return a new parser
     */
    public ExpositionParser build() {
      return new ExpositionParser(this);
    }
  }
}
