package dev.tessera.conformance.broken;

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

/** Broken backends for a damaged store: each wraps the memory store and trusts its files. */
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

  /** The kit tests that must catch each of these. */
  static Map<Class<? extends BrokenProviders.Wrapping>, List<String>> caughtBy() {
    Map<Class<? extends BrokenProviders.Wrapping>, List<String>> m = new LinkedHashMap<>();
    m.put(
        TrustsItsFiles.class,
        List.of("should_refuse_or_detect_a_flipped_byte_in_every_file_and_never_answer_wrongly"));
    return m;
  }
}
