/** Typed view and KPIs over HuggingFace text-generation-inference metrics ({@code tgi_*} families). */
package io.github.infermetrics.tgi;
