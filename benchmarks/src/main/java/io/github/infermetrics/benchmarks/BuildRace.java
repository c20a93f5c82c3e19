package io.github.infermetrics.benchmarks;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Two (or more) builds of the streaming parser against each other in one JVM, batch by batch: the way to tell a
 * change of a few per cent from the noise of a shared machine, which moves separate runs of one build by 5 to 30 %.
 *
 * <p>Each build is a {@code benchmarks.jar} loaded by a class loader of its own, so each has its own classes and
 * compiled code; after a warm-up of each, the builds take turns, one batch each per round, the first of the round
 * alternating, and the same bytes are parsed by {@link ParserRace#touch} of each build (reflection costs one call
 * per parse, the same for every build). Reported per build: the best batch, the first quartile and the median, in
 * MB/s.
 *
 * <pre>
 * cp benchmarks/target/benchmarks.jar /tmp/before.jar    # then change, rebuild
 * java -cp benchmarks/target/benchmarks.jar io.github.infermetrics.benchmarks.BuildRace \
 *     --file triton --rounds 150 /tmp/before.jar benchmarks/target/benchmarks.jar
 * </pre>
 *
 * Run it a second time with the jars in the other order: the build that goes first in the first round warms while
 * the machine is quieter or busier.
 *
 * <p>Two copies of one jar in one race differed by up to 7 % here, in either slot: where the compiled code of each
 * class loader lands seems to matter. To tell a change of a few per cent, give each build twice (copies under other
 * names) and trust a difference only where both copies of one build beat both of the other.
 */
public final class BuildRace {
  private BuildRace() {}

  /**
   * Runs the race.
   *
   * @param args {@code [--file NAME] [--rounds N] [--warmup-ms N] [--detect] JAR JAR...}; the file is one of
   *     {@link Fixtures}' names, read with its format configured, or with {@code --detect} found by the parser (as
   *     {@code ExpositionParser.create()} does)
   * @throws Exception when a jar cannot be loaded or a parse fails
   */
  public static void main(String[] args) throws Exception {
    String file = "triton";
    int rounds = 150;
    int warmupMs = 3000;
    boolean detect = false;
    List<String> jars = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--file" -> file = args[++i];
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--warmup-ms" -> warmupMs = Integer.parseInt(args[++i]);
        case "--detect" -> detect = true;
        default -> {
          if (args[i].startsWith("--")) {
            throw new IllegalArgumentException("unknown option " + args[i]
                + "; usage: BuildRace [--file NAME] [--rounds N] [--warmup-ms N] [--detect] JAR JAR...");
          }
          jars.add(args[i]);
        }
      }
    }
    if (jars.size() < 2) {
      throw new IllegalArgumentException("give two or more benchmarks.jar builds; usage: BuildRace [--file NAME] "
          + "[--rounds N] [--warmup-ms N] [--detect] JAR JAR...");
    }
    byte[] bytes = Fixtures.load(file);
    List<Build> builds = new ArrayList<>();
    for (String jar : jars) {
      builds.add(new Build(jar, detect ? null : Fixtures.format(file).name()));
    }
    int parses = Math.max(5, 4_000_000 / bytes.length);
    long sink = 0;
    for (Build b : builds) {
      long until = System.nanoTime() + warmupMs * 1_000_000L;
      while (System.nanoTime() < until) {
        sink += b.parse(bytes);
      }
    }
    int n = builds.size();
    long[][] nanos = new long[n][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < n; k++) {
        int j = (r & 1) == 0 ? k : n - 1 - k;
        Build b = builds.get(j);
        long t0 = System.nanoTime();
        for (int i = 0; i < parses; i++) {
          sink += b.parse(bytes);
        }
        nanos[j][r] = System.nanoTime() - t0;
      }
    }
    ParserRace.sink = sink;
    System.out.printf(Locale.ROOT, "%s (%,d bytes, format %s), %d rounds x %d parses, JDK %s, load average %s%n",
        file, bytes.length, detect ? "detected" : "configured", rounds, parses, System.getProperty("java.version"),
        Files.readString(Path.of("/proc/loadavg")).trim());
    for (int j = 0; j < n; j++) {
      long[] t = nanos[j].clone();
      Arrays.sort(t);
      double total = (double) bytes.length * parses * 1000;
      System.out.printf(Locale.ROOT, "  %-40s best %,6.0f  q1 %,6.0f  median %,6.0f MB/s%n", jars.get(j),
          total / t[0], total / t[rounds / 4], total / t[rounds / 2]);
    }
  }

  /** One build: its class loader, a parser of its own and its {@code ParserRace.touch}. */
  private static final class Build {
    private final Object parser;
    private final Method reset;
    private final Method touch;

    Build(String jar, String format) throws IOException, ReflectiveOperationException {
      URLClassLoader loader = new URLClassLoader(new URL[] {Path.of(jar).toUri().toURL()}, null);
      Class<?> parserClass = loader.loadClass("io.github.infermetrics.core.exposition.ExpositionParser");
      Class<?> formatClass = loader.loadClass("io.github.infermetrics.core.exposition.ExpositionFormat");
      Object builder = parserClass.getMethod("builder").invoke(null);
      if (format != null) {
        builder.getClass().getMethod("format", formatClass).invoke(builder, formatClass.getField(format).get(null));
      }
      parser = builder.getClass().getMethod("build").invoke(builder);
      reset = parserClass.getMethod("reset", byte[].class);
      touch = loader.loadClass(ParserRace.class.getName()).getDeclaredMethod("touch", parserClass);
      touch.setAccessible(true);
    }

    long parse(byte[] bytes) throws IllegalAccessException, InvocationTargetException {
      return (long) touch.invoke(null, reset.invoke(parser, bytes));
    }
  }
}
