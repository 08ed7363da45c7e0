package dev.tessera.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Builds the SHA-256 digest of a {@link ModelFingerprint} from labelled parts: files (streamed,
 * never buffered whole), text fields and raw bytes.
 *
 * <p>Each part is framed with its kind, its label and its length, so no two different sequences of
 * parts produce the same input to the hash. Order matters: add parts in a fixed order.
 */
public final class FingerprintDigest {
  private static final int BUFFER = 1 << 20;
  private final MessageDigest sha;

  private FingerprintDigest() {
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("This JDK has no SHA-256", e);
    }
  }

  /** A fresh digest. */
  public static FingerprintDigest create() {
    return new FingerprintDigest();
  }

  /** Adds a named text value, such as a preprocessing setting. */
  public FingerprintDigest field(String label, String value) {
    return bytes(label, value.getBytes(StandardCharsets.UTF_8), 'F');
  }

  /** Adds raw bytes under a label. */
  public FingerprintDigest bytes(String label, byte[] value) {
    return bytes(label, value, 'B');
  }

  /**
   * Adds a file's bytes under a label (use the file's name relative to the model, not its absolute
   * path).
   */
  public FingerprintDigest file(String label, Path file) throws IOException {
    long size = Files.size(file);
    header('P', label, size);
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
              + " changed while it was being fingerprinted ("
              + size
              + " then "
              + seen
              + " bytes).");
    }
    return this;
  }

  /**
   * The SHA-256 of everything added, as 64 lower-case hex digits. The digest can not be used
   * afterwards.
   */
  public String hex() {
    return HexFormat.of().formatHex(sha.digest());
  }

  private FingerprintDigest bytes(String label, byte[] value, char kind) {
    header(kind, label, value.length);
    sha.update(value);
    return this;
  }

  private void header(char kind, String label, long length) {
    byte[] l = label.getBytes(StandardCharsets.UTF_8);
    sha.update((byte) kind);
    sha.update(longBytes(l.length));
    sha.update(l);
    sha.update(longBytes(length));
  }

  private static byte[] longBytes(long v) {
    byte[] b = new byte[8];
    for (int i = 7; i >= 0; i--) {
      b[i] = (byte) v;
      v >>>= 8;
    }
    return b;
  }
}
