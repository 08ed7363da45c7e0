package dev.tessera.conformance.broken;

import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * Broken backends for a damaged or half-written store: each wraps the memory store and mishandles
 * its one file.
 */
public final class IntegrityBrokenProviders {
  /** The memory store's one data file; its last 8 bytes are the CRC32 of the rest. */
  static final String SNAPSHOT = "memory.snapshot";

  private IntegrityBrokenProviders() {}

  /**
   * Persists without a checksum it checks: the data is read back as it is found, so a flipped byte
   * becomes a wrong vector, id or text (modeled on the memory store by reading a snapshot whose
   * CRC32 fails from a copy with the CRC32 recomputed).
   */
  public static final class TrustsItsFiles extends BrokenProviders.Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner);
    }

    @Override
    public VectorStore open(StoreContext context) throws IOException {
      Path file = context.directory().resolve(SNAPSHOT);
      byte[] bytes = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
      if (bytes.length < 8 || crcHolds(bytes)) return super.open(context);
      Path copy = Files.createTempDirectory("trusts-its-files");
      ByteBuffer.wrap(bytes, bytes.length - 8, 8).putLong(crc(bytes));
      Files.write(copy.resolve(SNAPSHOT), bytes);
      VectorStore store = super.open(new StoreContext(copy, context.settings(), true));
      return new ForwardingStore(store) {
        @Override
        public void close() throws IOException {
          inner.close();
          try (Stream<Path> s = Files.walk(copy)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
          }
        }
      };
    }

    static long crc(byte[] bytes) {
      CRC32 crc = new CRC32();
      crc.update(bytes, 0, bytes.length - 8);
      return crc.getValue();
    }

    static boolean crcHolds(byte[] bytes) {
      return crc(bytes) == ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();
    }
  }

  /**
   * Replaces its file in place on commit: deletes the snapshot, then writes the new one, so a
   * read-only open in between (another process reading while this one commits) finds no data. The
   * pause between the two steps stands for a slow disk and makes that window wide enough for the
   * kit's concurrent opens to meet it on every run.
   */
  public static final class ReplacesItsFileInPlace extends BrokenProviders.Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return inner;
    }

    @Override
    public VectorStore create(StoreContext context, ModelFingerprint fingerprint)
        throws IOException {
      return inPlace(super.create(context, fingerprint), context.directory());
    }

    @Override
    public VectorStore open(StoreContext context) throws IOException {
      return inPlace(super.open(context), context.directory());
    }

    private static VectorStore inPlace(VectorStore store, Path dir) {
      return new ForwardingStore(store) {
        @Override
        public void commit() throws IOException {
          Files.deleteIfExists(dir.resolve(SNAPSHOT)); // the fault: no new file renamed over it
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          inner.commit();
        }
      };
    }
  }

  /** The kit tests that must catch each of these. */
  static Map<Class<? extends BrokenProviders.Wrapping>, List<String>> caughtBy() {
    Map<Class<? extends BrokenProviders.Wrapping>, List<String>> m = new LinkedHashMap<>();
    m.put(
        TrustsItsFiles.class,
        List.of("should_refuse_or_detect_a_flipped_byte_in_every_file_and_never_answer_wrongly"));
    m.put(ReplacesItsFileInPlace.class, List.of("should_open_read_only_while_a_writer_commits"));
    return m;
  }
}
