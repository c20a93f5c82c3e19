package io.github.infermetrics.cloudwatch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Keeps every event, checking each one with {@link EmfCheck} as it comes. */
final class CapturingSink implements EmfSink {
  final List<byte[]> events = new ArrayList<>();
  final List<Long> timestamps = new ArrayList<>();
  private final int maxBytes;

  CapturingSink() {
    this(EmfLimits.MAX_EVENT_BYTES);
  }

  CapturingSink(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public synchronized void accept(byte[] event, int offset, int length, long timestampMillis) {
    byte[] copy = Arrays.copyOfRange(event, offset, offset + length);
    EmfCheck.valid(copy, maxBytes);
    events.add(copy);
    timestamps.add(timestampMillis);
  }

  List<ObjectNode> parsed() {
    List<ObjectNode> out = new ArrayList<>();
    for (byte[] e : events) {
      out.add(EmfCheck.valid(e, maxBytes));
    }
    return out;
  }

  List<String> lines() {
    List<String> out = new ArrayList<>();
    for (byte[] e : events) {
      out.add(new String(e, StandardCharsets.UTF_8));
    }
    return out;
  }

  @Override
  public void flush() {}

  @Override
  public long dropped() {
    return 0;
  }

  @Override
  public void close() {}
}
