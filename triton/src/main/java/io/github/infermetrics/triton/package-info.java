/** Typed view and KPIs over NVIDIA Triton Inference Server metrics (port 8002, {@code nv_*} families). */
package io.github.infermetrics.triton;
