package io.github.infermetrics.core.discovery;

import io.github.infermetrics.core.discovery.Trees.Format;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Targets from files in Prometheus's {@code file_sd} format, read again when they change.
 *
 * <pre>{@code
 * try (FileSdDiscovery discovery = new FileSdDiscovery(FileSdConfig.parse("/etc/infermetrics/targets/*.yml"))) {
 *   discovery.start(targets -> System.out.println(targets.size() + " targets"));
 *   ...
 * }
 * }</pre>
 *
 * <p>A file holds a list of target groups, JSON or YAML by its extension:
 * <pre>
 * - targets: ["10.0.0.7:8000", "10.0.0.8:8000"]
 *   labels:
 *     job: vllm
 *     infermetrics_source: vllm      # skip source detection
 * - targets: ["triton-0:8002"]
 * </pre>
 * Each group gets the label {@code __meta_filepath} (the file's name) for relabelling, as in Prometheus.
 *
 * <p><b>Changes.</b> The files' directories are watched ({@link WatchService}, on Linux inotify), so an edit is
 * seen within a fraction of a second. Because watching misses some changes (editors that write a new file and
 * rename it over the old one on some file systems, network file systems, Kubernetes ConfigMap volumes that swap a
 * symbolic link), every {@link FileSdConfig#checkInterval()} each file's modification time, size and identity are
 * compared too, and every {@link FileSdConfig#refreshInterval()} each file is read again (a SHA-256 of the content
 * keeps an unchanged file from being parsed again). Files that match a pattern later are picked up; files that go
 * away take their targets with them.
 *
 * <p><b>Errors.</b> A file that cannot be read or parsed keeps its last good targets; the error, with
 * file:line:column and the JSON path, is counted and logged once per content. A named file (not a pattern) that
 * does not exist is an error once each time it goes missing. A rejected target (no address, a bad scheme, a name
 * taken) is left out and counted.
 *
 * <p>One daemon thread per discovery watches and reads; the listener runs on it (the first list on the thread
 * calling {@link #start}, which reads the files before it returns). Thread-safe.
 */
public final class FileSdDiscovery implements TargetDiscovery {
  /** After a file-system event, wait this long for the burst of events an editor makes to end. */
  private static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  /** ... but never longer than this before reading. */
  private static final long MAX_SETTLE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final FileSdConfig config;
  private final TargetPublisher publisher;
  private final boolean watch;
  private final Object lock = new Object();
  private Map<Path, FileState> states = new LinkedHashMap<>();
  private final Set<Path> reportedMissing = new HashSet<>();
  private final Set<Path> watchedDirectories = new HashSet<>();
  private final Set<Path> reportedUnwatchable = new HashSet<>();
  private List<TargetGroup> lastGroups;
  private WatchService watcher;
  private Thread thread;
  private volatile boolean closed;

  /**
   * A discovery; nothing happens before {@link #start}.
   *
   * @param config the files and settings
   */
  public FileSdDiscovery(FileSdConfig config) {
    this(config, true);
  }

  /** Test seam: {@code watch} false checks only every {@link FileSdConfig#checkInterval()}, as without inotify. */
  FileSdDiscovery(FileSdConfig config, boolean watch) {
    this.config = Objects.requireNonNull(config, "config");
    this.publisher = new TargetPublisher(description(config));
    this.watch = watch;
  }

  private static String description(FileSdConfig config) {
    return "file_sd " + String.join(" ", config.files());
  }

  /**
   * Reads one file in the {@code file_sd} format, as a check or for one-off use.
   *
   * @param file a {@code .json}, {@code .yml} or {@code .yaml} file
   * @return its groups, each with {@code __meta_filepath}
   * @throws DiscoveryException naming file:line:column and the JSON path of what is wrong
   * @throws UncheckedIOException when the file cannot be read
   */
  public static List<TargetGroup> read(Path file) {
    Format format = Format.ofFileName(file.getFileName().toString());
    if (format == null) {
      throw new DiscoveryException(file + ": a file_sd file must end in .json, .yml or .yaml");
    }
    try {
      return TargetGroupFormat.read(file.toString(), Files.readAllBytes(file), format, "__meta_filepath");
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void start(Consumer<List<DiscoveredTarget>> listener) {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException(description() + ": closed");
      }
      publisher.start(listener);
      try {
        watcher = watch ? FileSystems.getDefault().newWatchService() : null;
      } catch (IOException e) {
        publisher.error("cannot watch for changes (" + e.getMessage() + "); checking every "
            + config.checkInterval().toMillis() + " ms instead");
      }
      registerDirectories();
      refresh(true);
      thread = new Thread(this::run, "infermetrics-file-sd");
      thread.setDaemon(true);
      thread.start();
    }
  }

  private void run() {
    long now = System.nanoTime();
    long nextCheck = now + config.checkInterval().toNanos();
    long nextRefresh = now + config.refreshInterval().toNanos();
    try {
      while (!closed) {
        long wait = Math.max(1, Math.min(nextCheck, nextRefresh) - System.nanoTime());
        boolean event = false;
        if (watcher != null) {
          WatchKey key = watcher.poll(wait, TimeUnit.NANOSECONDS);
          if (key != null) {
            event = true;
            drain(key);
            long settleUntil = System.nanoTime() + MAX_SETTLE_NANOS;
            while ((key = watcher.poll(SETTLE_NANOS, TimeUnit.NANOSECONDS)) != null) {
              drain(key);
              if (System.nanoTime() > settleUntil) {
                break;
              }
            }
          }
        } else {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        now = System.nanoTime();
        boolean force = now - nextRefresh >= 0;
        if (event || force || now - nextCheck >= 0) {
          synchronized (lock) {
            if (closed) {
              return;
            }
            registerDirectories();
            refresh(force);
          }
          now = System.nanoTime();
          nextCheck = now + config.checkInterval().toNanos();
          if (force) {
            nextRefresh = now + config.refreshInterval().toNanos();
          }
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed
    } catch (RuntimeException e) {
      publisher.error("file_sd stopped: " + e);
    }
  }

  private static void drain(WatchKey key) {
    key.pollEvents(); // any event in a watched directory means: look at the files again
    key.reset();
  }

  private void registerDirectories() {
    if (watcher == null) {
      return;
    }
    for (String pattern : config.files()) {
      Path dir = directory(Path.of(pattern));
      if (watchedDirectories.contains(dir)) {
        continue;
      }
      try {
        dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
            StandardWatchEventKinds.ENTRY_DELETE);
        watchedDirectories.add(dir);
        reportedUnwatchable.remove(dir);
      } catch (IOException e) {
        if (reportedUnwatchable.add(dir)) {
          publisher.error("cannot watch directory " + dir + " (" + e + "); checking every "
              + config.checkInterval().toMillis() + " ms");
        }
      } catch (ClosedWatchServiceException e) {
        return;
      }
    }
  }

  private static Path directory(Path pattern) {
    Path parent = pattern.getParent();
    return parent == null ? Path.of(".") : parent;
  }

  /** Looks at every file; reads those whose metadata changed (all when forced); publishes when groups changed. */
  private void refresh(boolean force) {
    Map<Path, FileState> next = new LinkedHashMap<>();
    for (Path file : expand()) {
      FileState state = look(file, states.get(file), force);
      if (state != null) {
        next.put(file, state);
      }
    }
    states = next;
    List<TargetGroup> groups = new ArrayList<>();
    for (FileState s : next.values()) {
      groups.addAll(s.groups);
    }
    if (!groups.equals(lastGroups)) {
      lastGroups = groups;
      publisher.publish(config.labelling().resolve(groups));
    }
  }

  /** The files the patterns name now, each once, in pattern order then name order. */
  private Set<Path> expand() {
    Set<Path> files = new LinkedHashSet<>();
    for (String pattern : config.files()) {
      Path p = Path.of(pattern);
      String last = p.getFileName().toString();
      if (last.indexOf('*') < 0 && last.indexOf('?') < 0 && last.indexOf('[') < 0) {
        if (Files.isRegularFile(p)) {
          files.add(p);
          reportedMissing.remove(p);
        } else if (reportedMissing.add(p)) {
          publisher.error(p + ": " + (Files.exists(p) ? "not a regular file" : "no such file")
              + "; its targets are gone until it is back");
        }
        continue;
      }
      Set<Path> matched = new TreeSet<>();
      try (DirectoryStream<Path> dir = Files.newDirectoryStream(directory(p), last)) {
        for (Path f : dir) {
          if (Files.isRegularFile(f) && Format.ofFileName(f.getFileName().toString()) != null) {
            matched.add(f);
          }
        }
      } catch (NoSuchFileException e) {
        // a pattern whose directory does not exist matches nothing, as in Prometheus
      } catch (IOException | RuntimeException e) {
        publisher.error(pattern + ": cannot list the directory: " + e);
      }
      files.addAll(matched);
    }
    return files;
  }

  /** The file's new state, or null when it went away meanwhile. */
  private FileState look(Path file, FileState old, boolean force) {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      return errorState(old, null, file + ": cannot read its attributes: " + e);
    }
    Stamp stamp = new Stamp(attrs);
    if (old != null && stamp.equals(old.stamp) && (!force || old.hash == null)) {
      return old; // unchanged (or, when forced, known to be unreadable or too large already)
    }
    if (attrs.size() > config.maxFileBytes()) {
      return errorState(old, stamp, file + ": " + attrs.size() + " bytes, more than the limit of "
          + config.maxFileBytes() + " (FileSdConfig.maxFileBytes)");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, config.maxFileBytes() + 1));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      return errorState(old, stamp, file + ": cannot read: " + e);
    }
    if (bytes.length > config.maxFileBytes()) {
      return errorState(old, stamp, file + ": more than the limit of " + config.maxFileBytes()
          + " bytes (FileSdConfig.maxFileBytes)");
    }
    byte[] hash = sha256(bytes);
    if (old != null && Arrays.equals(hash, old.hash)) {
      return new FileState(stamp, hash, old.groups); // same content: parsed (or reported) already
    }
    try {
      Format format = Format.ofFileName(file.getFileName().toString());
      return new FileState(stamp, hash, TargetGroupFormat.read(file.toString(), bytes, format, "__meta_filepath"));
    } catch (DiscoveryException e) {
      publisher.error(e.getMessage() + " (keeping the last good targets of this file)");
      return new FileState(stamp, hash, old == null ? List.of() : old.groups);
    }
  }

  private FileState errorState(FileState old, Stamp stamp, String message) {
    publisher.error(message + " (keeping the last good targets of this file)");
    return new FileState(stamp, null, old == null ? List.of() : old.groups);
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /** What tells a file changed without reading it: modification time, size, identity (inode). */
  private static final class Stamp {
    final Object fileKey;
    final long size;
    final long modifiedNanos;

    Stamp(BasicFileAttributes a) {
      this.fileKey = a.fileKey();
      this.size = a.size();
      this.modifiedNanos = a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Stamp)) {
        return false;
      }
      Stamp s = (Stamp) o;
      return Objects.equals(fileKey, s.fileKey) && size == s.size && modifiedNanos == s.modifiedNanos;
    }

    @Override
    public int hashCode() {
      return Objects.hash(fileKey, size, modifiedNanos);
    }
  }

  /** One file: its stamp when last looked at, its content hash (null when unreadable), its last good groups. */
  private static final class FileState {
    final Stamp stamp;
    final byte[] hash;
    final List<TargetGroup> groups;

    FileState(Stamp stamp, byte[] hash, List<TargetGroup> groups) {
      this.stamp = stamp;
      this.hash = hash;
      this.groups = groups;
    }
  }

  @Override
  public List<DiscoveredTarget> current() {
    return publisher.current();
  }

  @Override
  public String description() {
    return publisher.description();
  }

  @Override
  public long errors() {
    return publisher.errors();
  }

  @Override
  public Optional<String> lastError() {
    return publisher.lastError();
  }

  @Override
  public int droppedTargets() {
    return publisher.droppedTargets();
  }

  /**
   * The configuration.
   *
   * @return the configuration given
   */
  public FileSdConfig config() {
    return config;
  }

  @Override
  public void close() {
    Thread t;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      publisher.close();
      t = thread;
      if (watcher != null) {
        try {
          watcher.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
    }
    if (t != null && t != Thread.currentThread()) { // a listener may close the discovery from its thread
      t.interrupt();
      try {
        t.join(TimeUnit.SECONDS.toMillis(2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
