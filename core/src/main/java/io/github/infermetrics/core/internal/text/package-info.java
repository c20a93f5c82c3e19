/**
 * The text encodings more than one module writes, each in one place: JSON strings (RFC 8259's escapes, and Go's
 * {@code encoding/json} ones), the shortest decimal of a double and the layouts other programs print it in (Go's
 * {@code strconv}, Python's {@code repr}, prometheus_client's), and the lines of the Prometheus text format.
 *
 * <p>Internal: exported only to the infermetrics modules that write these encodings, with no compatibility promise.
 * The output of every class here is compared byte for byte with what real programs print, so a change is a change
 * to several modules' output at once.
 */
package io.github.infermetrics.core.internal.text;
