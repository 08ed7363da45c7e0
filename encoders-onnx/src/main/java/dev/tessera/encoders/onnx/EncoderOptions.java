package dev.tessera.encoders.onnx;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Options of the {@code onnx} encoder, from the provider's string map.
 *
 * @param batchSize items per ONNX Runtime call ({@code batch_size}, default 32)
 * @param intraOpThreads threads ONNX Runtime uses inside one call ({@code intra_op_threads}, 0 =
 *     its default: all cores)
 * @param maxImagePixels images above this many pixels are refused before decoding ({@code
 *     max_image_pixels}, default Pillow's 89,478,485)
 * @param verifyChecksums verify {@code SHA256SUMS} when the model directory has one ({@code
 *     verify_checksums}, default true)
 */
public record EncoderOptions(
    int batchSize, int intraOpThreads, long maxImagePixels, boolean verifyChecksums) {
  /** Option key: items per ONNX Runtime call. */
  public static final String BATCH_SIZE = "batch_size";

  /** Option key: ONNX Runtime intra-op threads. */
  public static final String INTRA_OP_THREADS = "intra_op_threads";

  /** Option key: decompression-bomb limit in pixels. */
  public static final String MAX_IMAGE_PIXELS = "max_image_pixels";

  /** Option key: whether to verify {@code SHA256SUMS}. */
  public static final String VERIFY_CHECKSUMS = "verify_checksums";

  /** Every option key. */
  public static final Set<String> KEYS =
      Set.of(BATCH_SIZE, INTRA_OP_THREADS, MAX_IMAGE_PIXELS, VERIFY_CHECKSUMS);

  /** Checks ranges. */
  public EncoderOptions {
    if (batchSize < 1 || batchSize > 4096) {
      throw new IllegalArgumentException(
          "Option " + BATCH_SIZE + "=" + batchSize + " is out of range: use 1..4096.");
    }
    if (intraOpThreads < 0 || intraOpThreads > 1024) {
      throw new IllegalArgumentException(
          "Option "
              + INTRA_OP_THREADS
              + "="
              + intraOpThreads
              + " is out of range: use 0 (ONNX Runtime's default) to 1024.");
    }
    if (maxImagePixels < 1) {
      throw new IllegalArgumentException(
          "Option " + MAX_IMAGE_PIXELS + "=" + maxImagePixels + " must be positive.");
    }
  }

  /** The defaults. */
  public static EncoderOptions defaults() {
    return new EncoderOptions(32, 0, ImageDecoder.DEFAULT_MAX_PIXELS, true);
  }

  /**
   * Parses the provider options; an unknown key or a bad value fails naming it and the keys known.
   */
  public static EncoderOptions parse(Map<String, String> options) {
    EncoderOptions d = defaults();
    if (options == null || options.isEmpty()) return d;
    for (String k : options.keySet()) {
      if (!KEYS.contains(k)) {
        throw new IllegalArgumentException(
            "Unknown onnx encoder option '" + k + "'; known options: " + new TreeSet<>(KEYS) + ".");
      }
    }
    return new EncoderOptions(
        (int) number(options, BATCH_SIZE, d.batchSize()),
        (int) number(options, INTRA_OP_THREADS, d.intraOpThreads()),
        number(options, MAX_IMAGE_PIXELS, d.maxImagePixels()),
        bool(options, VERIFY_CHECKSUMS, d.verifyChecksums()));
  }

  private static long number(Map<String, String> o, String key, long dflt) {
    String v = o.get(key);
    if (v == null) return dflt;
    try {
      return Long.parseLong(v.strip().replace("_", "").replace(",", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Option " + key + "='" + v + "' is not a whole number.");
    }
  }

  private static boolean bool(Map<String, String> o, String key, boolean dflt) {
    String v = o.get(key);
    if (v == null) return dflt;
    return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default ->
          throw new IllegalArgumentException(
              "Option " + key + "='" + v + "' must be true or false.");
    };
  }
}
