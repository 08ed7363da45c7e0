package dev.tessera.encoders.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SHA-256 of model files, streamed (a 600 MB model is never held in memory) and cached by absolute
 * path, size and modification time, so reopening a model does not hash it again. Also verifies a
 * pinned {@code SHA256SUMS} file (the format {@code sha256sum} writes) before anything is loaded.
 */
final class FileDigests {
  private record Key(String kind, String path, long size, long mtimeNanos, Object fileKey) {}

  /** A digest of one file, computed from its path. */
  interface Digester {
    /** The hex digest of {@code file}. */
    String digest(Path file) throws IOException;
  }

  private static final Map<Key, String> CACHE = new ConcurrentHashMap<>();
  private static final int BUFFER = 1 << 20;

  private FileDigests() {}

  /** The SHA-256 of {@code file} as 64 lower-case hex digits. */
  static String sha256(Path file) throws IOException {
    return cached(file, "bytes", FileDigests::streamSha256);
  }

  /**
   * {@code digester}'s digest of {@code file}, cached under {@code kind} by absolute path, size and
   * modification time.
   */
  static String cached(Path file, String kind, Digester digester) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    Key key =
        new Key(
            kind,
            file.toAbsolutePath().normalize().toString(),
            a.size(),
            a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS),
            a.fileKey());
    String cached = CACHE.get(key);
    if (cached != null) return cached;
    String hex = digester.digest(file);
    CACHE.put(key, hex);
    return hex;
  }

  private static String streamSha256(Path file) throws IOException {
    long size = Files.size(file);
    MessageDigest sha = newSha256();
    byte[] buf = new byte[BUFFER];
    long seen = 0;
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        sha.update(buf, 0, n);
        seen += n;
      }
    }
    if (seen != size) {
      throw new IOException(
          "File "
              + file
              + " changed while it was being hashed ("
              + size
              + " then "
              + seen
              + " bytes).");
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** A fresh SHA-256 digest (every JDK has one). */
  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("This JDK has no SHA-256", e);
    }
  }

  /** Forgets every cached digest (for tests). */
  static void clearCache() {
    CACHE.clear();
  }

  /** Reads {@code SHA256SUMS}: file name relative to its directory → expected hex digest. */
  static Map<String, String> readSums(Path sums) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    int lineNo = 0;
    for (String line : Files.readAllLines(sums, StandardCharsets.UTF_8)) {
      lineNo++;
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) continue;
      int sp = l.indexOf(' ');
      if (sp != 64) {
        throw new IOException(
            sums + " line " + lineNo + " is not '<64 hex digits>  <file>': '" + l + "'.");
      }
      String hex = l.substring(0, 64).toLowerCase(Locale.ROOT);
      String name = l.substring(64).strip();
      if (name.startsWith("*")) name = name.substring(1);
      if (name.startsWith("./")) name = name.substring(2);
      for (int i = 0; i < 64; i++) {
        if (Character.digit(hex.charAt(i), 16) < 0) {
          throw new IOException(
              sums + " line " + lineNo + " has a digest that is not hexadecimal: '" + l + "'.");
        }
      }
      out.put(name, hex);
    }
    return out;
  }

  /**
   * Verifies every file listed in {@code sums} (relative to its directory). A listed file that is
   * missing or whose digest differs is refused; the message names each one with both digests.
   */
  static void verify(Path sums) throws IOException {
    // Normalized, so a model path given as "a/../b/model" compares with the normalized entries.
    Path dir = sums.toAbsolutePath().normalize().getParent();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> e : readSums(sums).entrySet()) {
      Path f = dir.resolve(e.getKey()).normalize();
      if (!f.startsWith(dir)) {
        problems.add(e.getKey() + ": points outside the model directory");
      } else if (!Files.isRegularFile(f)) {
        problems.add(e.getKey() + ": missing");
      } else {
        String actual = sha256(f);
        if (!actual.equals(e.getValue())) {
          problems.add(
              e.getKey() + ": expected sha256 " + e.getValue() + " but the file has " + actual);
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new TamperedModelException(
          "The model in "
              + dir
              + " does not match its pinned checksums in "
              + sums.getFileName()
              + " and was not loaded: "
              + String.join("; ", problems)
              + ". Restore the original files (or, if you changed the model on purpose, update"
              + " SHA256SUMS).");
    }
  }
}
