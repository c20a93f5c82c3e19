/** Typed view and KPIs over vLLM metrics ({@code vllm:*} families), across vLLM versions. */
package io.github.infermetrics.vllm;
