package dev.tessera.encoders.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The ONNX Runtime sessions of one model: one per graph (the text session is the vision session for
 * a combined {@code model.onnx}), created on a {@link LargeStack} thread, with fixed options: all
 * graph optimizations, errors-only session logging, the configured intra-op threads.
 *
 * @param env the process-wide environment
 * @param text the session of the text tower (or of the combined graph)
 * @param vision the session of the vision tower; the same object as {@code text} when combined
 */
record OrtSessions(OrtEnvironment env, OrtSession text, OrtSession vision)
    implements AutoCloseable {
  private static final AtomicBoolean TELEMETRY_OFF = new AtomicBoolean();

  /** Creates the environment if it is not yet, then the sessions of {@code layout}'s graphs. */
  static OrtSessions open(ModelLayout layout, EncoderOptions options) throws OrtException {
    return LargeStack.call("load " + layout.root().getFileName(), () -> create(layout, options));
  }

  private static OrtSessions create(ModelLayout layout, EncoderOptions options)
      throws OrtException {
    OrtEnvironment env = environment();
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      so.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
      if (options.intraOpThreads() > 0) so.setIntraOpNumThreads(options.intraOpThreads());
      if (options.executionProvider() == EncoderOptions.ExecutionProvider.CUDA) {
        addCuda(so, options.cudaDevice(), OrtEnvironment.getAvailableProviders(), env.getVersion());
      }
      OrtSession text = env.createSession(layout.textModel().toString(), so);
      if (layout.kind() == ModelLayout.Kind.COMBINED) return new OrtSessions(env, text, text);
      try {
        return new OrtSessions(env, text, env.createSession(layout.visionModel().toString(), so));
      } catch (OrtException | RuntimeException e) {
        try {
          text.close();
        } catch (OrtException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    }
  }

  /**
   * Puts the CUDA provider first for device {@code device}, or fails saying what is missing: the
   * GPU build of ONNX Runtime (the CPU artifact has no CUDA provider), or a GPU, driver or CUDA
   * library that the provider needs when it starts. ONNX Runtime keeps the CPU provider behind it
   * for the nodes CUDA does not implement.
   */
  static void addCuda(
      OrtSession.SessionOptions so, int device, Set<OrtProvider> available, String version)
      throws OrtException {
    if (!available.contains(OrtProvider.CUDA)) {
      throw new IllegalArgumentException(
          "Option execution_provider=cuda: this ONNX Runtime build offers only "
              + available
              + ". Replace the dependency com.microsoft.onnxruntime:onnxruntime with"
              + " com.microsoft.onnxruntime:onnxruntime_gpu of the same version ("
              + version
              + "), on a machine with an NVIDIA GPU and driver, or use execution_provider=cpu.");
    }
    try {
      so.addCUDA(device);
    } catch (OrtException e) {
      throw new OrtException(
          e.getCode(),
          "ONNX Runtime's CUDA provider could not start on device "
              + device
              + ": "
              + e.getMessage()
              + ". Check that `nvidia-smi` lists that GPU and that the CUDA and cuDNN libraries"
              + " ONNX Runtime's GPU package requires are on the library path (LD_LIBRARY_PATH),"
              + " or use execution_provider=cpu.");
    }
  }

  /**
   * ONNX Runtime's process-wide environment, with its telemetry switched off: Tessera sends nothing
   * anywhere. The first call creates it, and with it starts the telemetry SDK, which may queue one
   * start-up event before it can be switched off; {@code ORT_DISABLE_TELEMETRY=1} in the
   * environment (the {@code tessera} command sets it) prevents even that.
   */
  private static OrtEnvironment environment() throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    if (!TELEMETRY_OFF.get()) {
      env.setTelemetry(false);
      TELEMETRY_OFF.set(true);
    }
    return env;
  }

  /** Closes the sessions (the environment is the process's and stays). */
  @Override
  public void close() throws OrtException {
    try {
      text.close();
    } finally {
      if (vision != text) vision.close();
    }
  }
}
