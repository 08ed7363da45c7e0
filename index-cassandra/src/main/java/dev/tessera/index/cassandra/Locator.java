package dev.tessera.index.cassandra;

import dev.tessera.api.CorruptCollectionException;
import dev.tessera.api.spi.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The one file a {@code cassandra} store keeps in its directory: where its records live (contact
 * points, datacenter, keyspace, store id), as {@code key=value} lines and a CRC32 of them, so the
 * SPI's directory-based open finds the store and a damaged file is refused, never half read.
 *
 * @param contactPoints where the store was created, {@code host:port,...}
 * @param datacenter the driver's local datacenter
 * @param keyspace the keyspace of the store's tables
 * @param store the store's id: its partition in the record table and its row in the catalog
 */
record Locator(String contactPoints, String datacenter, String keyspace, String store) {
  /** The file's name in the store directory. */
  static final String FILE = "cassandra-store.properties";

  private static final String FORMAT = "tessera-cassandra-store 1";

  /** Writes the locator into {@code dir} atomically. */
  void write(Path dir) throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("format=").append(FORMAT).append('\n');
    for (Map.Entry<String, String> e : entries().entrySet()) {
      b.append(e.getKey()).append('=').append(e.getValue()).append('\n');
    }
    CRC32 crc = new CRC32();
    byte[] body = b.toString().getBytes(StandardCharsets.UTF_8);
    crc.update(body);
    b.append("crc32=").append(String.format("%08x", crc.getValue())).append('\n');
    AtomicFiles.write(dir.resolve(FILE), b.toString().getBytes(StandardCharsets.UTF_8));
  }

  private Map<String, String> entries() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("contact-points", contactPoints);
    m.put("local-datacenter", datacenter);
    m.put("keyspace", keyspace);
    m.put("store", store);
    for (Map.Entry<String, String> e : m.entrySet()) {
      if (e.getValue().contains("\n") || e.getValue().contains("\r")) {
        throw new IllegalArgumentException(e.getKey() + " must not hold a line break");
      }
    }
    return m;
  }

  /**
   * Reads and verifies the locator in {@code dir}; a missing file is an {@link IOException}, a
   * damaged one a {@link CorruptCollectionException} naming the file.
   */
  static Locator read(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(
          file.toString(), null, "no cassandra store here: its locator file is missing");
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    int at = text.lastIndexOf("crc32=");
    if (at < 0 || !text.endsWith("\n")) throw damaged(file, "it has no checksum line");
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, text.substring(0, at).getBytes(StandardCharsets.UTF_8).length);
    String stored = text.substring(at + "crc32=".length(), text.length() - 1);
    if (!stored.equals(String.format("%08x", crc.getValue()))) {
      throw damaged(file, "its checksum does not match its content");
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : text.substring(0, at).split("\n")) {
      int eq = line.indexOf('=');
      if (eq <= 0) throw damaged(file, "a line is not key=value");
      m.put(line.substring(0, eq), line.substring(eq + 1));
    }
    if (!FORMAT.equals(m.get("format"))) {
      throw damaged(file, "its format is '" + m.get("format") + "', not '" + FORMAT + "'");
    }
    for (String key : new String[] {"contact-points", "local-datacenter", "keyspace", "store"}) {
      if (m.get(key) == null) throw damaged(file, "it has no " + key);
    }
    return new Locator(
        m.get("contact-points"), m.get("local-datacenter"), m.get("keyspace"), m.get("store"));
  }

  private static CorruptCollectionException damaged(Path file, String why) {
    return new CorruptCollectionException(
        "The cassandra store locator "
            + file
            + " is damaged: "
            + why
            + ". Restore it from a backup, or create the store again.");
  }
}
