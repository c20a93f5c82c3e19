/** Typed view and KPIs over SGLang metrics ({@code sglang:*} families), old and new names alike. */
package io.github.infermetrics.sglang;
