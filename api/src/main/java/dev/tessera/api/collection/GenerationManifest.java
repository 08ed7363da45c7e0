package dev.tessera.api.collection;

import dev.tessera.api.CorruptCollectionException;
import dev.tessera.api.ModelFingerprint;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a collection generation is: format version, generation number, store provider name, model
 * fingerprint, creation time, store settings and hints. Stored as {@code MANIFEST} in the
 * generation's directory, guarded by a SHA-256 line; a damaged or foreign manifest is refused.
 *
 * <p>Hints are notes for applications that change nothing Tessera does, e.g. {@link #MODEL_HINT}:
 * where the model that built the generation was found, so a tool can open it again without being
 * told. They are written as {@code hint.KEY=value} lines, which older readers of format 1 ignore.
 */
public record GenerationManifest(
    int format,
    int generation,
    String store,
    ModelFingerprint fingerprint,
    Instant created,
    Map<String, String> settings,
    Map<String, String> hints) {
  /** The manifest format this version writes and reads. */
  public static final int FORMAT = 1;

  /** The hint naming the model (e.g. its directory) that built a generation. */
  public static final String MODEL_HINT = "model";

  static final String FILE = "MANIFEST";
  private static final String KIND = "tessera-generation";
  private static final String HINT = "hint.";

  /** Validates and copies. */
  public GenerationManifest {
    if (generation < 1)
      throw new IllegalArgumentException("generation must be positive: " + generation);
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(created, "created");
    settings =
        settings == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new TreeMap<>(settings));
    hints = hints == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(hints));
  }

  /** A manifest without hints. */
  public GenerationManifest(
      int format,
      int generation,
      String store,
      ModelFingerprint fingerprint,
      Instant created,
      Map<String, String> settings) {
    this(format, generation, store, fingerprint, created, settings, Map.of());
  }

  /** The hint called {@code key}, if this generation has it. */
  public java.util.Optional<String> hint(String key) {
    return java.util.Optional.ofNullable(hints.get(key));
  }

  /** This manifest with hint {@code key} set to {@code value}. */
  public GenerationManifest withHint(String key, String value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Map<String, String> h = new TreeMap<>(hints);
    h.put(key, value);
    return new GenerationManifest(format, generation, store, fingerprint, created, settings, h);
  }

  /** The generation's directory name, e.g. {@code gen-000001}. */
  public String directoryName() {
    return directoryName(generation);
  }

  static String directoryName(int generation) {
    return String.format("gen-%06d", generation);
  }

  void write(Path genDir) throws IOException {
    Map<String, String> e = new LinkedHashMap<>();
    e.put("kind", KIND);
    e.put("format", Integer.toString(format));
    e.put("generation", Integer.toString(generation));
    e.put("store", store);
    e.put("fingerprint", fingerprint.canonical());
    e.put("created", created.toString());
    settings.forEach((k, v) -> e.put("setting." + k, v));
    hints.forEach((k, v) -> e.put(HINT + k, v));
    ChecksummedFile.write(
        genDir.resolve(FILE),
        "Tessera collection generation manifest. Do not edit: a checksum guards it.",
        e);
  }

  static GenerationManifest read(Path genDir) throws IOException {
    Path file = genDir.resolve(FILE);
    Map<String, String> e = ChecksummedFile.read(file, KIND);
    try {
      int format = Integer.parseInt(e.get("format"));
      if (format > FORMAT) {
        throw new CorruptCollectionException(
            file
                + " has format "
                + format
                + "; this Tessera reads format "
                + FORMAT
                + " and older. Upgrade Tessera to open it.");
      }
      Map<String, String> settings = new TreeMap<>();
      Map<String, String> hints = new TreeMap<>();
      e.forEach(
          (k, v) -> {
            if (k.startsWith("setting.")) settings.put(k.substring(8), v);
            if (k.startsWith(HINT)) hints.put(k.substring(HINT.length()), v);
          });
      return new GenerationManifest(
          format,
          Integer.parseInt(e.get("generation")),
          require(e, "store", file),
          ModelFingerprint.parse(require(e, "fingerprint", file)),
          Instant.parse(require(e, "created", file)),
          settings,
          hints);
    } catch (NumberFormatException | DateTimeParseException | NullPointerException e2) {
      throw new CorruptCollectionException(
          file + " has a missing or malformed field: " + e2.getMessage(), e2);
    } catch (IllegalArgumentException e2) {
      throw new CorruptCollectionException(file + " is invalid: " + e2.getMessage(), e2);
    }
  }

  private static String require(Map<String, String> e, String key, Path file) {
    String v = e.get(key);
    if (v == null) throw new CorruptCollectionException(file + " lacks the field '" + key + "'.");
    return v;
  }
}
