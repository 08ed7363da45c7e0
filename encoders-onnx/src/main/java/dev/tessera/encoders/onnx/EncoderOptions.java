package dev.tessera.encoders.onnx;

import java.util.Locale;
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
 * @param executionProvider where ONNX Runtime runs the graphs ({@code execution_provider}: {@code
 *     cpu}, the default, or {@code cuda})
 * @param cudaDevice the GPU the CUDA provider uses ({@code cuda_device}, default 0; only with
 *     {@code execution_provider=cuda})
 */
public record EncoderOptions(
    int batchSize,
    int intraOpThreads,
    long maxImagePixels,
    boolean verifyChecksums,
    ExecutionProvider executionProvider,
    int cudaDevice) {
  /** Option key: items per ONNX Runtime call. */
  public static final String BATCH_SIZE = "batch_size";

  /** Option key: ONNX Runtime intra-op threads. */
  public static final String INTRA_OP_THREADS = "intra_op_threads";

  /** Option key: decompression-bomb limit in pixels. */
  public static final String MAX_IMAGE_PIXELS = "max_image_pixels";

  /** Option key: whether to verify {@code SHA256SUMS}. */
  public static final String VERIFY_CHECKSUMS = "verify_checksums";

  /** Option key: the execution provider, {@code cpu} or {@code cuda}. */
  public static final String EXECUTION_PROVIDER = "execution_provider";

  /** Option key: the CUDA device number. */
  public static final String CUDA_DEVICE = "cuda_device";

  /** Every option key. */
  public static final Set<String> KEYS =
      Set.of(
          BATCH_SIZE,
          INTRA_OP_THREADS,
          MAX_IMAGE_PIXELS,
          VERIFY_CHECKSUMS,
          EXECUTION_PROVIDER,
          CUDA_DEVICE);

  /** Where ONNX Runtime runs the graphs. */
  public enum ExecutionProvider {
    /** ONNX Runtime's CPU provider: always there, the default. */
    CPU,
    /**
     * ONNX Runtime's CUDA provider: needs the {@code onnxruntime_gpu} artifact and an NVIDIA GPU.
     */
    CUDA
  }

  /** The options on the CPU provider. */
  public EncoderOptions(
      int batchSize, int intraOpThreads, long maxImagePixels, boolean verifyChecksums) {
    this(batchSize, intraOpThreads, maxImagePixels, verifyChecksums, ExecutionProvider.CPU, 0);
  }

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
    if (executionProvider == null) {
      throw new IllegalArgumentException(
          "Option " + EXECUTION_PROVIDER + " is null: use cpu or cuda.");
    }
    if (cudaDevice < 0 || cudaDevice > 1023) {
      throw new IllegalArgumentException(
          "Option " + CUDA_DEVICE + "=" + cudaDevice + " is out of range: use 0..1023.");
    }
    if (cudaDevice != 0 && executionProvider != ExecutionProvider.CUDA) {
      throw new IllegalArgumentException(
          "Option "
              + CUDA_DEVICE
              + "="
              + cudaDevice
              + " has no effect on the "
              + executionProvider.name().toLowerCase(Locale.ROOT)
              + " provider: add "
              + EXECUTION_PROVIDER
              + "=cuda, or drop "
              + CUDA_DEVICE
              + ".");
    }
  }

  /** The defaults. */
  public static EncoderOptions defaults() {
    return new EncoderOptions(
        32, 0, ImageDecoder.DEFAULT_MAX_PIXELS, true, ExecutionProvider.CPU, 0);
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
        whole(options, BATCH_SIZE, d.batchSize()),
        whole(options, INTRA_OP_THREADS, d.intraOpThreads()),
        number(options, MAX_IMAGE_PIXELS, d.maxImagePixels()),
        bool(options, VERIFY_CHECKSUMS, d.verifyChecksums()),
        provider(options.get(EXECUTION_PROVIDER), d.executionProvider()),
        whole(options, CUDA_DEVICE, d.cudaDevice()));
  }

  private static ExecutionProvider provider(String v, ExecutionProvider dflt) {
    if (v == null) return dflt;
    return switch (v.strip().toLowerCase(Locale.ROOT)) {
      case "cpu" -> ExecutionProvider.CPU;
      case "cuda" -> ExecutionProvider.CUDA;
      default ->
          throw new IllegalArgumentException(
              "Option " + EXECUTION_PROVIDER + "='" + v + "' is not known: use cpu or cuda.");
    };
  }

  private static int whole(Map<String, String> o, String key, int dflt) {
    long v = number(o, key, dflt);
    if (v != (int) v) {
      throw new IllegalArgumentException(
          "Option " + key + "='" + o.get(key) + "' is far out of range (more than 2^31).");
    }
    return (int) v;
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
    return switch (v.strip().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default ->
          throw new IllegalArgumentException(
              "Option " + key + "='" + v + "' must be true or false.");
    };
  }
}
