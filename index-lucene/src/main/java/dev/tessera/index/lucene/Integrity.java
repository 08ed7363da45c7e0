package dev.tessera.index.lucene;

import dev.tessera.api.CorruptCollectionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;

/**
 * Verifies a store's files with Lucene's own checksums before anything is read from them, and turns
 * Lucene's corruption errors into the api's {@link CorruptCollectionException}.
 *
 * <p>Every Lucene file ends with a CRC-32 of its content. Opening a reader verifies it in full only
 * for the small files ({@code segments_N}, {@code .si}, {@code .fnm}, {@code .cfe}, {@code .liv},
 * the format metadata files); the data files ({@code .cfs}, {@code .vec}, {@code .vex}, {@code
 * .fdt}, the postings) are only checked for a well-formed header and footer. {@link #verify} reads
 * the rest in full ({@code LeafReader#checkIntegrity}, which is {@code
 * CodecUtil.checksumEntireFile} on every data file of the segment), so a flipped byte anywhere in a
 * committed file refuses the open.
 */
final class Integrity {
  private Integrity() {}

  /**
   * Verifies the checksum of every file of every segment {@code reader} reads, segments in parallel
   * (the check reads every byte once, or twice for a compound segment: its parts, then the whole
   * {@code .cfs}; it is bound by CRC-32 speed on a warm page cache and by the disk on a cold one).
   */
  static void verify(IndexReader reader, Path path) throws IOException {
    try {
      reader.leaves().parallelStream().forEach(Integrity::verify);
    } catch (UncheckedIOException e) {
      IOException cause = e.getCause();
      if (isDamage(cause)) throw damaged(path, cause);
      throw cause;
    }
  }

  private static void verify(LeafReaderContext leaf) {
    try {
      leaf.reader().checkIntegrity();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether {@code e} is Lucene saying an index file is damaged or of an unreadable format. */
  static boolean isDamage(IOException e) {
    return e instanceof CorruptIndexException
        || e instanceof IndexFormatTooOldException
        || e instanceof IndexFormatTooNewException;
  }

  /** The api's exception for a damaged or unreadable Lucene file of the store in {@code path}. */
  static CorruptCollectionException damaged(Path path, IOException e) {
    return new CorruptCollectionException(
        "The lucene store in "
            + path
            + " is damaged or unreadable ("
            + e.getMessage()
            + "). Restore the collection from a backup, or reindex it from its sources.",
        e);
  }
}
