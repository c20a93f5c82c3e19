/**
 * A reader for the subset of YAML that Prometheus {@code file_sd} files and relabelling rules use, building the
 * same tree as the JSON reader. Not exported: internal to the core module.
 */
package io.github.infermetrics.core.internal.yaml;
