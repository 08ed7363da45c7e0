package dev.tessera.api.spi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Crash-safe small-file writes for collections and store implementers: write a temporary file
 * beside the target, fsync it, rename it over the target atomically, then fsync the directory. A
 * reader sees the old content or the new, never a mix; after a crash the old content remains.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Replaces {@code target}'s content with {@code content} atomically and durably. */
  public static void write(Path target, byte[] content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp =
        dir.resolve(
            "."
                + target.getFileName()
                + ".tmp-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    try {
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) ch.write(buf);
        ch.force(true);
      }
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException(
            "The file system under "
                + dir
                + " can not rename atomically; Tessera needs that to switch files safely.",
            e);
      }
      syncDirectory(dir);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * fsyncs a directory so a rename or a new file in it survives a crash; a no-op where the platform
   * can't.
   */
  public static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Some platforms (Windows) can not open or sync a directory; the rename is still atomic
      // there.
      if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win")) {
        if (e instanceof IOException io) throw io;
      }
    }
  }
}
