package dev.tessera.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Identifies exactly which model, tokenizer and preprocessing produced a vector.
 *
 * <p>Equality is by {@link #digest()}, {@link #dimension()}, {@link #similarity()} and {@link
 * #normalized()} (everything that changes what a vector means) — never by name: two different 512-d
 * checkpoints that share a name are different fingerprints, and the same model under two names is
 * the same one. The digest is a SHA-256 over everything that changes the numbers (see {@link
 * FingerprintDigest}).
 *
 * <p>{@link #canonical()} gives one text form that {@link #parse(String)} reads back to an equal
 * value, e.g. {@code
 * tessera-fp:1;name=openai/clip-vit-base-patch32;dim=512;similarity=cosine;normalized=true;sha256=…}.
 */
public final class ModelFingerprint {
  private static final String PREFIX = "tessera-fp:1";
  private static final int MAX_NAME = 256;

  /** Largest dimension accepted; far above any CLIP model, low enough to catch garbage. */
  public static final int MAX_DIMENSION = 65_536;

  private final String name;
  private final int dimension;
  private final Similarity similarity;
  private final boolean normalized;
  private final String digest;

  private ModelFingerprint(
      String name, int dimension, Similarity similarity, boolean normalized, String digest) {
    this.name = name;
    this.dimension = dimension;
    this.similarity = similarity;
    this.normalized = normalized;
    this.digest = digest;
  }

  /**
   * A fingerprint from its parts.
   *
   * @param name readable model name, e.g. {@code openai/clip-vit-base-patch32}
   * @param dimension vector length, 1..{@value #MAX_DIMENSION}
   * @param similarity how vectors of this model are compared
   * @param normalized whether the model's outputs are L2-normalized (checked on every write)
   * @param sha256Hex 64 hexadecimal digits, see {@link FingerprintDigest}
   */
  public static ModelFingerprint of(
      String name, int dimension, Similarity similarity, boolean normalized, String sha256Hex) {
    Objects.requireNonNull(similarity, "similarity");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(
          "Model name must not be blank: give the model a readable name.");
    }
    if (name.length() > MAX_NAME) {
      throw new IllegalArgumentException(
          "Model name is "
              + name.length()
              + " characters long; at most "
              + MAX_NAME
              + " are allowed.");
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.isISOControl(name.charAt(i))) {
        throw new IllegalArgumentException(
            "Model name must not contain control characters: " + name.strip());
      }
    }
    if (dimension < 1 || dimension > MAX_DIMENSION) {
      throw new IllegalArgumentException(
          "Dimension "
              + dimension
              + " is out of range: it must be between 1 and "
              + MAX_DIMENSION
              + ".");
    }
    if (sha256Hex == null || sha256Hex.length() != 64 || !isHex(sha256Hex)) {
      throw new IllegalArgumentException(
          "Digest '" + sha256Hex + "' is not a SHA-256: expected 64 hexadecimal digits.");
    }
    return new ModelFingerprint(
        name.strip(), dimension, similarity, normalized, sha256Hex.toLowerCase(Locale.ROOT));
  }

  /**
   * A fingerprint for vectors computed outside Tessera. Say which model made them as precisely as
   * you can in {@code identity} (a checkpoint hash, a version tag): the digest is derived from the
   * name, the identity and the numeric settings, so two declarations agree only if all of them do.
   */
  public static ModelFingerprint declared(
      String name, int dimension, Similarity similarity, boolean normalized, String identity) {
    Objects.requireNonNull(identity, "identity");
    FingerprintDigest d =
        FingerprintDigest.create()
            .field("kind", "declared")
            .field("name", name == null ? "" : name.strip())
            .field("identity", identity)
            .field("dimension", Integer.toString(dimension))
            .field("similarity", similarity.id())
            .field("normalized", Boolean.toString(normalized));
    return of(name, dimension, similarity, normalized, d.hex());
  }

  /** Reads the {@link #canonical()} form back; the error names the text and what was wrong. */
  public static ModelFingerprint parse(String text) {
    if (text == null || !text.startsWith(PREFIX + ";")) {
      throw new IllegalArgumentException(
          "Not a Tessera model fingerprint: '"
              + abbreviate(text)
              + "' (expected it to start with '"
              + PREFIX
              + ";').");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (String part : text.substring(PREFIX.length() + 1).split(";", -1)) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "Malformed fingerprint field '" + part + "' in '" + abbreviate(text) + "'.");
      }
      if (fields.put(part.substring(0, eq), part.substring(eq + 1)) != null) {
        throw new IllegalArgumentException(
            "Fingerprint field '"
                + part.substring(0, eq)
                + "' appears twice in '"
                + abbreviate(text)
                + "'.");
      }
    }
    for (String required : new String[] {"name", "dim", "similarity", "normalized", "sha256"}) {
      if (!fields.containsKey(required)) {
        throw new IllegalArgumentException(
            "Fingerprint '" + abbreviate(text) + "' lacks the field '" + required + "'.");
      }
    }
    if (fields.size() != 5) {
      throw new IllegalArgumentException(
          "Fingerprint '" + abbreviate(text) + "' has unknown fields: " + fields.keySet());
    }
    int dim;
    try {
      dim = Integer.parseInt(fields.get("dim"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Fingerprint dimension '" + fields.get("dim") + "' is not a number.");
    }
    String norm = fields.get("normalized");
    if (!norm.equals("true") && !norm.equals("false")) {
      throw new IllegalArgumentException(
          "Fingerprint field normalized='" + norm + "' must be true or false.");
    }
    return of(
        decode(fields.get("name")),
        dim,
        Similarity.parse(fields.get("similarity")),
        Boolean.parseBoolean(norm),
        fields.get("sha256"));
  }

  /** The one text form of this fingerprint; {@link #parse(String)} reads it back. */
  public String canonical() {
    return PREFIX
        + ";name="
        + encode(name)
        + ";dim="
        + dimension
        + ";similarity="
        + similarity.id()
        + ";normalized="
        + normalized
        + ";sha256="
        + digest;
  }

  /** Readable model name; not part of equality. */
  public String name() {
    return name;
  }

  /** Vector length. */
  public int dimension() {
    return dimension;
  }

  /** How vectors of this model are compared. */
  public Similarity similarity() {
    return similarity;
  }

  /** Whether vectors are promised to be L2-normalized (checked on every write and query). */
  public boolean normalized() {
    return normalized;
  }

  /** SHA-256 over everything that changes the numbers, 64 lower-case hex digits. */
  public String digest() {
    return digest;
  }

  /** The first 12 hex digits of the digest, for messages. */
  public String shortDigest() {
    return digest.substring(0, 12);
  }

  /** Whether vectors of {@code other} may be mixed with vectors of this fingerprint. */
  public boolean isCompatibleWith(ModelFingerprint other) {
    return equals(other);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelFingerprint f
        && f.dimension == dimension
        && f.similarity == similarity
        && f.normalized == normalized
        && f.digest.equals(digest);
  }

  @Override
  public int hashCode() {
    return Objects.hash(digest, dimension, similarity, normalized);
  }

  /** Readable form for messages: {@code name [512-d cosine normalized sha256:0123456789ab]}. */
  @Override
  public String toString() {
    return name
        + " ["
        + dimension
        + "-d "
        + similarity.id()
        + (normalized ? " normalized" : "")
        + " sha256:"
        + shortDigest()
        + "]";
  }

  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.digit(s.charAt(i), 16) < 0) return false;
    }
    return true;
  }

  private static boolean safe(int b) {
    return (b >= 'a' && b <= 'z')
        || (b >= 'A' && b <= 'Z')
        || (b >= '0' && b <= '9')
        || b == '-'
        || b == '.'
        || b == '_'
        || b == '~'
        || b == '/'
        || b == '@'
        || b == '+'
        || b == ':';
  }

  private static String encode(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int v = b & 0xff;
      if (safe(v)) {
        out.append((char) v);
      } else {
        out.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) v));
      }
    }
    return out.toString();
  }

  private static String decode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new IllegalArgumentException("Malformed escape in fingerprint name '" + s + "'.");
        }
        try {
          out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("Malformed escape in fingerprint name '" + s + "'.");
        }
        i += 2;
      } else if (safe(c)) {
        out.write(c);
      } else {
        throw new IllegalArgumentException(
            "Character '" + c + "' must be escaped in fingerprint name '" + s + "'.");
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String abbreviate(String s) {
    if (s == null) return "null";
    return s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }
}
