package dev.tessera.index.jvector;

import dev.tessera.api.CorruptCollectionException;
import dev.tessera.api.spi.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The store's one mutable file: which generation is current, the store's fingerprint and build
 * settings, and the size and CRC32 of every file of that generation. Written with {@link
 * AtomicFiles} (temp + fsync + atomic rename + directory fsync) and guarded by its own CRC32.
 */
record Manifest(long generation, Map<String, String> entries, Map<String, FileSum> files) {
  static final String FILE = "jvector.manifest";
  private static final String FORMAT = "tessera-jvector-1";
  private static final int MAX_SIZE = 1 << 20;

  /** A file's expected length and CRC32. */
  record FileSum(long size, long crc32) {}

  void write(Path dir) throws IOException {
    StringBuilder sb =
        new StringBuilder(
            "# Tessera jvector store manifest: the current generation and a checksum of each of its"
                + " files.\n");
    sb.append("format=").append(FORMAT).append('\n');
    sb.append("generation=").append(generation).append('\n');
    for (Map.Entry<String, String> e : new TreeMap<>(entries).entrySet()) {
      sb.append("entry.").append(e.getKey()).append('=').append(e.getValue()).append('\n');
    }
    for (Map.Entry<String, FileSum> e : new TreeMap<>(files).entrySet()) {
      sb.append("file.")
          .append(e.getKey())
          .append('=')
          .append(e.getValue().size())
          .append(':')
          .append(Long.toHexString(e.getValue().crc32()))
          .append('\n');
    }
    String body = sb.toString();
    String text =
        body + "crc32=" + Long.toHexString(crc(body.getBytes(StandardCharsets.UTF_8))) + "\n";
    AtomicFiles.write(dir.resolve(FILE), text.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads and checks the manifest itself (not yet the files it lists). */
  static Manifest read(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_SIZE) {
        throw new CorruptCollectionException(
            file
                + " is "
                + Files.size(file)
                + " bytes; a jvector manifest is small. It is damaged or not Tessera's.");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CorruptCollectionException(
          "The jvector store in "
              + dir
              + " has no "
              + FILE
              + ": it was never created there, or the file was removed. Restore the directory from"
              + " a backup or create the store again.");
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    int at = text.lastIndexOf("crc32=");
    if (at < 0 || !text.endsWith("\n")) {
      throw new CorruptCollectionException(
          file
              + " has no crc32 line: it is truncated or not a jvector manifest. Restore the store"
              + " directory from a backup.");
    }
    String body = text.substring(0, at);
    String stored = text.substring(at + "crc32=".length()).trim();
    long actual = crc(body.getBytes(StandardCharsets.UTF_8));
    if (!stored.equals(Long.toHexString(actual))) {
      throw new CorruptCollectionException(
          file
              + " fails its CRC32 check (stored "
              + stored
              + ", computed "
              + Long.toHexString(actual)
              + "): it was edited or damaged. Restore the store directory from a backup.");
    }
    Map<String, String> entries = new LinkedHashMap<>();
    Map<String, FileSum> files = new LinkedHashMap<>();
    String format = null;
    long generation = -1;
    try {
      for (String line : body.split("\n")) {
        if (line.isEmpty() || line.startsWith("#")) continue;
        int eq = line.indexOf('=');
        if (eq <= 0)
          throw new CorruptCollectionException(file + " has a malformed line: '" + line + "'.");
        String k = line.substring(0, eq);
        String v = line.substring(eq + 1);
        if (k.equals("format")) format = v;
        else if (k.equals("generation")) generation = Long.parseLong(v);
        else if (k.startsWith("entry.")) entries.put(k.substring(6), v);
        else if (k.startsWith("file.")) {
          int c = v.indexOf(':');
          files.put(
              k.substring(5),
              new FileSum(
                  Long.parseLong(v.substring(0, c)), Long.parseLong(v.substring(c + 1), 16)));
        } else throw new CorruptCollectionException(file + " has an unknown line: '" + line + "'.");
      }
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw new CorruptCollectionException(file + " has a malformed number: " + e.getMessage(), e);
    }
    if (!FORMAT.equals(format) || generation < 0) {
      throw new CorruptCollectionException(
          file
              + " is not a "
              + FORMAT
              + " manifest (format="
              + format
              + ", generation="
              + generation
              + "). It was written by another version or another program.");
    }
    return new Manifest(generation, entries, files);
  }

  /** Checks that every listed file exists with the recorded size and CRC32. */
  void verify(Path dir) throws IOException {
    for (Map.Entry<String, FileSum> e : files.entrySet()) {
      Path f = dir.resolve(e.getKey());
      FileSum want = e.getValue();
      long size;
      try {
        size = Files.size(f);
      } catch (NoSuchFileException ex) {
        throw new CorruptCollectionException(
            f
                + " is missing; the manifest "
                + dir.resolve(FILE)
                + " of generation "
                + generation
                + " lists it. Restore the store directory from a backup.");
      }
      if (size != want.size()) {
        throw new CorruptCollectionException(
            f
                + " is "
                + size
                + " bytes but the manifest of generation "
                + generation
                + " records "
                + want.size()
                + ": it was truncated or overwritten. Restore the store directory from a backup.");
      }
      long crc = crcOf(f);
      if (crc != want.crc32()) {
        throw new CorruptCollectionException(
            f
                + " fails its CRC32 check (manifest "
                + Long.toHexString(want.crc32())
                + ", file "
                + Long.toHexString(crc)
                + "): it is damaged. Restore the store directory from a backup.");
      }
    }
  }

  static long crcOf(Path f) throws IOException {
    CRC32 crc = new CRC32();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(f)) {
      for (int n; (n = in.read(buf)) > 0; ) crc.update(buf, 0, n);
    }
    return crc.getValue();
  }

  private static long crc(byte[] b) {
    CRC32 crc = new CRC32();
    crc.update(b);
    return crc.getValue();
  }
}
