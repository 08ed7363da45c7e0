package dev.tessera.api.collection;

import dev.tessera.api.TesseraException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one write lock of a collection: an operating-system lock on {@code write.lock} in the
 * collection's directory, held by every writable handle (create, open, stage) until it closes.
 * Because the operating system owns the lock, a writer killed with {@code kill -9} leaves nothing
 * that blocks the next one; the file itself stays and only says who held it last. Read-only opens
 * never touch it.
 */
final class CollectionLock implements AutoCloseable {
  /** The lock file's name. */
  static final String FILE = "write.lock";

  /**
   * Locks held in this JVM, by real directory path. POSIX file locks belong to the process, and
   * closing any channel on the file drops them all, so a second writer in this process must be
   * refused before it opens a channel of its own.
   */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  /**
   * Channels of a failed second lock in this JVM from another class loader: closing one would drop
   * the other writer's lock (see {@link #HELD}), so they stay open.
   */
  private static final List<FileChannel> NEVER_CLOSE = new CopyOnWriteArrayList<>();

  private final Path key;
  private final FileChannel channel;
  private final FileLock lock;

  private CollectionLock(Path key, FileChannel channel, FileLock lock) {
    this.key = key;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of the collection in {@code dir} (which exists) or throws a {@link
   * TesseraException} naming the directory and what to do.
   */
  static CollectionLock acquire(Path dir) throws IOException {
    Path key = dir.toRealPath();
    if (!HELD.add(key)) throw held(dir, "in this process", null);
    FileChannel ch = null;
    try {
      ch =
          FileChannel.open(
              key.resolve(FILE),
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        NEVER_CLOSE.add(ch);
        ch = null;
        throw held(dir, "in this process", e);
      }
      if (lock == null) throw held(dir, "by another process" + describeHolder(ch), null);
      note(ch);
      CollectionLock l = new CollectionLock(key, ch, lock);
      ch = null;
      return l;
    } catch (IOException | RuntimeException e) {
      HELD.remove(key);
      if (ch != null) ch.close();
      throw e;
    }
  }

  /** Writes who holds the lock, for the message another writer gets; failures do not matter. */
  private static void note(FileChannel ch) {
    try {
      byte[] who =
          ("pid=" + ProcessHandle.current().pid() + " since=" + Instant.now() + "\n")
              .getBytes(StandardCharsets.UTF_8);
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(who), 0);
    } catch (IOException e) {
      // The lock is what matters; the note of who holds it is for messages only.
    }
  }

  private static String describeHolder(FileChannel ch) {
    try {
      ByteBuffer b = ByteBuffer.allocate(256);
      ch.read(b, 0);
      String s = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
      return s.isEmpty() ? "" : " (" + s + ")";
    } catch (IOException e) {
      return "";
    }
  }

  private static TesseraException held(Path dir, String where, Throwable cause) {
    return new TesseraException(
        "The collection in "
            + dir
            + " is already open for writing "
            + where
            + ". A collection has one writer at a time: close the other writer first, or open this"
            + " one read-only (VectorCollection.openReadOnly) to search beside it.",
        cause);
  }

  /** Whether a file in a collection directory is the lock file (it does not make it non-empty). */
  static boolean isLockFile(Path p) {
    return p.getFileName().toString().equals(FILE) && Files.isRegularFile(p);
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      try {
        channel.close();
      } finally {
        HELD.remove(key);
      }
    }
  }
}
