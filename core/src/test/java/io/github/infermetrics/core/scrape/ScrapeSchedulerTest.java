package io.github.infermetrics.core.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScrapeSchedulerTest {
  private LoopbackHttp http;
  private Scraper scraper;

  @BeforeEach
  void start() throws IOException {
    http = new LoopbackHttp();
    http.handle("/metrics", ex -> LoopbackHttp.respond(ex, 200, ScraperTest.TEXT_TYPE, ScraperTest.TEXT));
    scraper = Scraper.create();
  }

  @AfterEach
  void stop() {
    scraper.close();
    http.close();
  }

  @Test
  void severalTargetsAreScrapedRegularlyFromJitteredOffsets() throws InterruptedException {
    Map<String, List<ScrapeResult>> results = new ConcurrentHashMap<>();
    Duration interval = Duration.ofMillis(300);
    try (ScrapeScheduler scheduler = ScrapeScheduler.builder().threads(3).scraper(scraper).build()) {
      for (int i = 0; i < 8; i++) {
        ScrapeTarget t = ScrapeTarget.builder(http.uri("/metrics")).name("pod-" + i).build();
        scheduler.schedule(t, interval, r -> results.computeIfAbsent(r.target().name(), k -> new CopyOnWriteArrayList<>()).add(r));
      }
      assertThat(scheduler.scheduled()).hasSize(8);
      Thread.sleep(1250);
    }

    assertThat(results).hasSize(8);
    List<Instant> firsts = new ArrayList<>();
    for (List<ScrapeResult> rs : results.values()) {
      assertThat(rs).hasSizeBetween(3, 6).allSatisfy(r -> assertThat(r.up()).isTrue());
      firsts.add(rs.get(0).start());
      // fixed rate after the offset
      for (int i = 1; i < rs.size(); i++) {
        assertThat(Duration.between(rs.get(i - 1).start(), rs.get(i).start()).toMillis()).isBetween(150L, 450L);
      }
    }
    // eight offsets drawn from 300 ms do not all fall within 30 ms of each other (p < 1e-6)
    firsts.sort(Comparator.naturalOrder());
    assertThat(Duration.between(firsts.get(0), firsts.get(firsts.size() - 1)).toMillis()).isGreaterThan(30);
  }

  @Test
  void aScrapeSlowerThanItsIntervalIsNeverOverlappedAndSkippedTicksAreCounted() throws InterruptedException {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    http.handle("/slow", ex -> {
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        Thread.sleep(350);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      inFlight.decrementAndGet();
      LoopbackHttp.respond(ex, 200, ScraperTest.TEXT_TYPE, ScraperTest.TEXT);
    });
    ScrapeTarget slow = ScrapeTarget.builder(http.uri("/slow")).timeout(Duration.ofSeconds(2)).build();
    List<ScrapeResult> results = new CopyOnWriteArrayList<>();
    ScheduledScrape s;
    try (ScrapeScheduler scheduler = ScrapeScheduler.builder().threads(4).scraper(scraper).build()) {
      s = scheduler.schedule(slow, Duration.ofMillis(100), results::add);
      Thread.sleep(1300);
      s.cancel();
      assertThat(s.isCancelled()).isTrue();
      assertThat(scheduler.scheduled()).isEmpty();
    }

    assertThat(maxInFlight).hasValue(1);
    assertThat(s.skipped()).isGreaterThanOrEqualTo(4);
    assertThat(results).hasSizeBetween(2, 4).allSatisfy(r -> assertThat(r.up()).isTrue());
    assertThat(results).noneMatch(r -> r.error() != null && r.error().kind() == ScrapeError.Kind.BUSY);
  }

  @Test
  void aThrowingListenerDoesNotStopLaterScrapes() throws InterruptedException {
    ScrapeTarget t = ScrapeTarget.builder(http.uri("/metrics")).build();
    AtomicInteger calls = new AtomicInteger();
    try (ScrapeScheduler scheduler = ScrapeScheduler.builder().threads(1).scraper(scraper).build()) {
      ScheduledScrape s = scheduler.schedule(t, Duration.ofMillis(50), r -> {
        calls.incrementAndGet();
        throw new IllegalStateException("listener bug");
      });
      Thread.sleep(500);

      assertThat(calls.get()).isGreaterThanOrEqualTo(4);
      assertThat(s.listenerFailures()).isEqualTo(calls.get());
      assertThat(s.completed()).isGreaterThanOrEqualTo(calls.get());
    }
  }

  @Test
  void closeStopsPromptlyEvenWithAScrapeStalledInProgress() throws Exception {
    CountDownLatch stalled = new CountDownLatch(1);
    List<ScrapeResult> results = new CopyOnWriteArrayList<>();
    try (RawServer server = new RawServer((s, out) -> {
      RawServer.write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\nup 1\n");
      stalled.countDown();
      Thread.sleep(60_000);
    })) {
      ScrapeTarget t = ScrapeTarget.builder(server.uri()).timeout(Duration.ofSeconds(20)).build();
      ScrapeScheduler scheduler = ScrapeScheduler.builder().threads(2).build();
      ScheduledScrape s = scheduler.schedule(t, Duration.ofMillis(50), results::add);
      assertThat(stalled.await(2, TimeUnit.SECONDS)).isTrue();

      long t0 = System.nanoTime();
      scheduler.close();
      long closeMs = (System.nanoTime() - t0) / 1_000_000;

      assertThat(closeMs).isLessThan(1000);
      assertThat(s.isCancelled()).isTrue();
      int accepted = server.accepted.get();
      Thread.sleep(200);
      assertThat(server.accepted.get()).isEqualTo(accepted);
      assertThat(results).isEmpty();
      assertThatThrownBy(() -> scheduler.schedule(t, Duration.ofSeconds(1), r -> { }))
          .isInstanceOf(IllegalStateException.class);
      // the stalled scrape released its target
      assertThat(t.tryClaim()).isTrue();
      t.release();
    }
  }

  @Test
  void aTargetIsScheduledOnlyOnce() {
    ScrapeTarget t = ScrapeTarget.builder(http.uri("/metrics")).build();
    try (ScrapeScheduler scheduler = ScrapeScheduler.builder().scraper(scraper).build()) {
      scheduler.schedule(t, Duration.ofSeconds(10), r -> { });

      assertThatThrownBy(() -> scheduler.schedule(t, Duration.ofSeconds(5), r -> { }))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already scheduled");
      assertThatThrownBy(() -> scheduler.schedule(
          ScrapeTarget.builder(http.uri("/metrics")).build(), Duration.ZERO, r -> { }))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interval");
    }
    assertThatThrownBy(() -> ScrapeScheduler.builder().threads(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threads");
  }
}
