package io.github.infermetrics.remotewrite;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xerial.snappy.Snappy;

/**
 * Test helper: decodes remote write requests with protobuf-java's wire reader, independently of the hand-written
 * encoder. Fails on anything outside the four messages, so a stray field shows up.
 */
public final class WriteRequests {
  private WriteRequests() {}

  /** One decoded {@code TimeSeries}: labels in wire order, samples in wire order. */
  public record Series(List<String> labelNames, Map<String, String> labels, List<Sample> samples) {
    /** The {@code __name__} label. */
    public String name() {
      return labels.get("__name__");
    }
  }

  /** One decoded {@code Sample}. */
  public record Sample(double value, long timestampMillis) {}

  /** Decodes a snappy-compressed request body. */
  public static List<Series> decodeCompressed(byte[] body) throws IOException {
    return decode(Snappy.uncompress(body));
  }

  /** Decodes an uncompressed {@code WriteRequest}. */
  public static List<Series> decode(byte[] bytes) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    List<Series> out = new ArrayList<>();
    for (int tag; (tag = in.readTag()) != 0; ) {
      require(tag == tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED), "WriteRequest", tag);
      int limit = in.pushLimit(in.readRawVarint32());
      List<String> names = new ArrayList<>();
      Map<String, String> labels = new LinkedHashMap<>();
      List<Sample> samples = new ArrayList<>();
      for (int t; (t = in.readTag()) != 0; ) {
        int inner = in.pushLimit(in.readRawVarint32());
        if (t == tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
          String name = null;
          String value = null;
          for (int lt; (lt = in.readTag()) != 0; ) {
            if (lt == tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
              name = in.readStringRequireUtf8();
            } else {
              require(lt == tag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED), "Label", lt);
              value = in.readStringRequireUtf8();
            }
          }
          names.add(name);
          labels.put(name, value);
        } else {
          require(t == tag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED), "TimeSeries", t);
          double value = 0;
          long ts = 0;
          for (int st; (st = in.readTag()) != 0; ) {
            if (st == tag(1, WireFormat.WIRETYPE_FIXED64)) {
              value = in.readDouble();
            } else {
              require(st == tag(2, WireFormat.WIRETYPE_VARINT), "Sample", st);
              ts = in.readInt64();
            }
          }
          samples.add(new Sample(value, ts));
        }
        in.popLimit(inner);
      }
      in.popLimit(limit);
      out.add(new Series(names, labels, samples));
    }
    return out;
  }

  private static int tag(int field, int wireType) {
    return (field << 3) | wireType; // WireFormat.makeTag is package-private
  }

  private static void require(boolean ok, String message, int tag) throws IOException {
    if (!ok) {
      throw new IOException("unexpected tag " + tag + " in " + message);
    }
  }
}
