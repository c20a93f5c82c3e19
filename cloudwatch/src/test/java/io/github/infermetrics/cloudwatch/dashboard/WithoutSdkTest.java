package io.github.infermetrics.cloudwatch.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.infermetrics.cloudwatch.insights.Query;
import io.github.infermetrics.core.kpi.Kpi;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/**
 * The builder, the catalogue and the dashboards work without the AWS SDK: they are loaded from the module's and
 * core's classes alone, in a class loader that cannot see the SDK, and used through reflection.
 */
class WithoutSdkTest {
  @Test
  void catalogueAndDashboardsNeedNoSdkClasses() throws Exception {
    URL cloudwatch = Query.class.getProtectionDomain().getCodeSource().getLocation();
    URL core = Kpi.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader alone = new URLClassLoader(new URL[] {cloudwatch, core},
        ClassLoader.getPlatformClassLoader())) {
      Class<?> queries = alone.loadClass("io.github.infermetrics.cloudwatch.insights.ContainerInsightsQueries");
      Class<?> params = alone.loadClass("io.github.infermetrics.cloudwatch.insights.CatalogueParameters");
      Object p = params.getMethod("of", String.class).invoke(null, "c");
      for (Object entry : (Iterable<?>) queries.getMethod("entries").invoke(null)) {
        entry.getClass().getMethod("query", params).invoke(entry, p);
      }
      Class<?> source = alone.loadClass("io.github.infermetrics.core.dashboard.SourceDashboard");
      Class<?> cw = alone.loadClass("io.github.infermetrics.cloudwatch.dashboard.CloudWatchDashboard");
      Class<?> grafana = alone.loadClass("io.github.infermetrics.cloudwatch.dashboard.GrafanaDashboard");
      Object declaration = source.getMethod("builder", String.class).invoke(null, "A server");
      Object s = declaration.getClass().getMethod("build").invoke(declaration);
      Object b = cw.getMethod("builder", source).invoke(null, s);
      b.getClass().getMethod("cluster", String.class).invoke(b, "c");
      Object d = b.getClass().getMethod("build").invoke(b);
      assertThat((String) cw.getMethod("body").invoke(d)).contains("widgets");
      assertThat((String) grafana.getMethod("json").invoke(grafana.getMethod("of", String.class, source)
          .invoke(null, "a", s))).contains("panels");
      // the runner is the only part that needs the SDK
      assertThatThrownBy(() -> alone.loadClass("io.github.infermetrics.cloudwatch.insights.InsightsRunner")
          .getMethods()).isInstanceOf(NoClassDefFoundError.class);
    }
  }
}
