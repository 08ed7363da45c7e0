package dev.tessera.serve;

import dev.tessera.api.collection.VectorCollection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * The collection as it is now: a read-only handle, reopened when {@code CURRENT} changes (a {@code
 * tessera reindex} switched generations, or an index run created the collection anew), so the
 * server keeps answering while another process writes. The previous handle is closed one switch
 * later, so searches in flight on it finish.
 */
final class LiveCollection implements AutoCloseable {
  private static final long CHECK_EVERY_NANOS = 250_000_000L;

  private final Path directory;
  private final Deque<VectorCollection> retired = new ArrayDeque<>();
  private VectorCollection current;
  private byte[] pointer;
  private long checkedAt;

  LiveCollection(Path directory) {
    this.directory = directory.toAbsolutePath().normalize();
    this.pointer = readPointer();
    this.current = VectorCollection.openReadOnly(this.directory, null);
    this.checkedAt = System.nanoTime();
  }

  Path directory() {
    return directory;
  }

  /** The handle on the live generation, reopened first if {@code CURRENT} changed. */
  synchronized VectorCollection get() {
    long now = System.nanoTime();
    if (now - checkedAt < CHECK_EVERY_NANOS) return current;
    checkedAt = now;
    byte[] p;
    try {
      p = readPointer();
    } catch (UncheckedIOException e) {
      return current; // mid-switch or briefly missing: keep serving what we have
    }
    if (Arrays.equals(p, pointer)) return current;
    VectorCollection next = VectorCollection.openReadOnly(directory, null);
    while (retired.size() > 1) retired.removeFirst().close();
    retired.addLast(current);
    current = next;
    pointer = p;
    return current;
  }

  private byte[] readPointer() {
    try {
      return Files.readAllBytes(directory.resolve("CURRENT"));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + directory.resolve("CURRENT"), e);
    }
  }

  @Override
  public synchronized void close() {
    retired.forEach(VectorCollection::close);
    retired.clear();
    current.close();
  }
}
