package dev.tessera.index.lucene;

import dev.tessera.api.ClosedException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import org.apache.lucene.index.IndexWriter;

/**
 * Turns Lucene's writer failures into what the store contract promises: an {@link IOException}
 * naming the store and what to do, never Lucene's {@code AlreadyClosedException} ("this writer hit
 * an unrecoverable error"). A failure while Lucene writes files (a full disk, a permission taken
 * away) is "tragic" to Lucene: it rolls its writer back to the last commit and closes it; the
 * commit stays intact on disk, the writes since are gone, and only a new open can write again.
 */
final class Failures {
  private Failures() {}

  /**
   * The exception for {@code failure}, hit while the store in {@code path} did {@code what}: {@link
   * ClosedException} when the store was closed, the writer's tragedy when Lucene closed it, else
   * {@code failure} wrapped with the store's name (the collection names itself around it).
   */
  static IOException of(
      String what, Path path, IndexWriter writer, boolean closed, Exception failure) {
    if (closed) throw new ClosedException("The lucene store in " + path);
    Throwable tragic = writer == null ? null : writer.getTragicException();
    if (tragic != null) {
      return new IOException(
          "The lucene store in "
              + path
              + " could not "
              + what
              + ": Lucene stopped its writer after a failed write ("
              + describe(tragic)
              + "). Close the store and open it again once that is fixed: it reopens at its last"
              + " commit; writes after that commit are not kept.",
          tragic);
    }
    // An I/O failure the writer has not (yet) marked tragic — a background merge may be about to —
    // still names the store, so the caller always learns which one and what to do.
    return new IOException(
        "The lucene store in "
            + path
            + " could not "
            + what
            + " ("
            + describe(failure)
            + "). Close the store and open it again; it reopens at its last commit.",
        failure);
  }

  /** One line for a failure: the file system's reason and file, or the message. */
  static String describe(Throwable t) {
    if (t instanceof AccessDeniedException a) return "permission denied on " + a.getFile();
    if (t instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason() + (f.getFile() == null ? "" : " (" + f.getFile() + ")");
    }
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }
}
