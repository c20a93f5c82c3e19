package io.github.infermetrics.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.github.infermetrics.core.discovery.ResolvedTargets;
import io.github.infermetrics.core.discovery.TargetGroup;
import io.github.infermetrics.core.discovery.TargetLabelling;
import io.github.infermetrics.core.discovery.TargetPublisher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * What the Kubernetes discoveries share: informers that feed one target list. Every change in any informer's
 * cache recomputes the groups from all caches; the list is resolved and published only when the groups, the
 * problems or the opt-out count changed, so a resync (or a change to an object that is not a target) costs no
 * listener call and counts no error twice.
 *
 * @param <T> the resource watched
 */
final class Informers<T extends HasMetadata> {
  /** What a role makes of the cached objects. */
  record Groups(List<TargetGroup> groups, int optedOut, List<String> problems) {}

  private final String what;
  private final TargetPublisher publisher;
  private final TargetLabelling labelling;
  private final Function<List<T>, Groups> compute;
  private final List<SharedIndexInformer<T>> informers = new ArrayList<>();
  private final Object lock = new Object();
  private boolean synced;
  private boolean closed;
  private List<TargetGroup> lastGroups;
  private Set<String> lastProblems = Set.of();
  private int lastOptedOut = -1;

  Informers(String what, TargetPublisher publisher, TargetLabelling labelling, Function<List<T>, Groups> compute) {
    this.what = what;
    this.publisher = publisher;
    this.labelling = labelling;
    this.compute = compute;
  }

  /** Adds an informer that is not started yet; {@code where} names it in errors ("in serving"). */
  void add(SharedIndexInformer<T> informer, String where) {
    informer.addEventHandler(new ResourceEventHandler<T>() {
      @Override
      public void onAdd(T obj) {
        changed();
      }

      @Override
      public void onUpdate(T before, T after) {
        changed();
      }

      @Override
      public void onDelete(T obj, boolean finalStateUnknown) {
        changed();
      }
    });
    informer.exceptionHandler((isStarted, t) -> {
      publisher.error("watching " + what + where + ": " + t);
      return true; // fabric8 retries with back-off; the last good list stays meanwhile
    });
    synchronized (lock) {
      informers.add(informer);
    }
  }

  /**
   * Starts the informers and waits for their first lists; then publishes the first list on this thread.
   * Past the timeout it returns with an error counted; the first list comes when the informers succeed.
   */
  void start(Duration timeout) {
    List<CompletableFuture<Void>> starts = new ArrayList<>();
    synchronized (lock) {
      for (SharedIndexInformer<T> informer : informers) {
        starts.add(informer.start().toCompletableFuture());
      }
    }
    CompletableFuture<Void> all = CompletableFuture.allOf(starts.toArray(new CompletableFuture<?>[0]));
    all.whenComplete((ok, failure) -> {
      if (failure == null) {
        synchronized (lock) {
          synced = true;
        }
        changed();
      }
    });
    try {
      all.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      synchronized (lock) {
        synced = true;
      }
      changed();
    } catch (TimeoutException e) {
      publisher.error("no " + what + " list from the API server within " + timeout.toMillis()
          + " ms (startTimeout); still trying");
    } catch (ExecutionException e) {
      publisher.error("cannot list " + what + ": " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void changed() {
    synchronized (lock) {
      if (!synced || closed) {
        return;
      }
      List<T> objects = new ArrayList<>();
      for (SharedIndexInformer<T> informer : informers) {
        objects.addAll(informer.getStore().list());
      }
      Groups result = compute.apply(objects);
      Set<String> problems = new LinkedHashSet<>(result.problems());
      if (result.groups().equals(lastGroups) && problems.equals(lastProblems) && result.optedOut() == lastOptedOut) {
        return;
      }
      for (String p : problems) {
        if (!lastProblems.contains(p)) {
          publisher.error(p);
        }
      }
      lastGroups = result.groups();
      lastProblems = problems;
      lastOptedOut = result.optedOut();
      ResolvedTargets resolved = labelling.resolve(result.groups());
      publisher.publish(new ResolvedTargets(resolved.targets(), resolved.dropped() + result.optedOut(),
          resolved.errors()));
    }
  }

  void close() {
    List<SharedIndexInformer<T>> toStop;
    synchronized (lock) {
      closed = true;
      toStop = List.copyOf(informers);
    }
    publisher.close();
    for (SharedIndexInformer<T> informer : toStop) {
      informer.stop();
    }
  }
}
