package dev.tessera.api.collection;

import dev.tessera.api.CorruptCollectionException;
import dev.tessera.api.spi.AtomicFiles;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Small key=value files guarded by a SHA-256 line, written atomically: the collection's pointer and
 * manifests.
 */
final class ChecksummedFile {
  private static final int MAX_SIZE = 1 << 20;

  private ChecksummedFile() {}

  static void write(Path file, String comment, Map<String, String> entries) throws IOException {
    StringBuilder sb = new StringBuilder("# ").append(comment).append('\n');
    for (Map.Entry<String, String> e : entries.entrySet()) {
      String k = e.getKey();
      String v = e.getValue();
      if (k.contains("=") || k.contains("\n") || v.contains("\n") || v.contains("\r")) {
        throw new IllegalArgumentException(
            "Key or value can not be written to " + file.getFileName() + ": " + k + "=" + v);
      }
      sb.append(k).append('=').append(v).append('\n');
    }
    String body = sb.toString();
    String content = body + "checksum=sha256:" + sha256(body) + "\n";
    AtomicFiles.write(file, content.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads and verifies the file; {@code kind} must match its kind= entry. */
  static Map<String, String> read(Path file, String kind) throws IOException {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_SIZE) {
        throw new CorruptCollectionException(
            file
                + " is "
                + Files.size(file)
                + " bytes; a Tessera "
                + kind
                + " file is tiny. It is not Tessera's.");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw e;
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new CorruptCollectionException(
          file + " is not text: it is damaged or not a Tessera " + kind + " file.");
    }
    int at = text.lastIndexOf("checksum=sha256:");
    if (at < 0 || !text.endsWith("\n")) {
      throw new CorruptCollectionException(
          file
              + " has no checksum line: it is truncated, damaged or not a Tessera "
              + kind
              + " file.");
    }
    String body = text.substring(0, at);
    String stored = text.substring(at + "checksum=sha256:".length()).trim();
    if (!stored.equals(sha256(body))) {
      throw new CorruptCollectionException(
          file
              + " fails its checksum: it was edited or damaged. "
              + "Restore it from a backup; Tessera will not guess what it said.");
    }
    Map<String, String> entries = new LinkedHashMap<>();
    for (String line : body.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) continue;
      int eq = line.indexOf('=');
      if (eq <= 0)
        throw new CorruptCollectionException(file + " has a malformed line: '" + line + "'.");
      entries.put(line.substring(0, eq), line.substring(eq + 1));
    }
    if (!kind.equals(entries.get("kind"))) {
      throw new CorruptCollectionException(
          file + " is not a Tessera " + kind + " file (kind=" + entries.get("kind") + ").");
    }
    return entries;
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
