/** Typed view and KPIs over Ray Serve metrics ({@code ray_serve_*} families), across Ray releases. */
package io.github.infermetrics.ray;
