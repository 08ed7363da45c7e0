package dev.tessera.encoders.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.tessera.api.ClosedException;
import dev.tessera.api.Embedding;
import dev.tessera.api.EmbeddingResult;
import dev.tessera.api.FingerprintDigest;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.Similarity;
import dev.tessera.api.TesseraException;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CLIP model on ONNX Runtime: embeds texts and images into one space, L2-normalized, compared by
 * cosine. Opens the layouts of {@link ModelLayout}; input and output names are read from the
 * graphs.
 *
 * <p>One ONNX Runtime session per graph is shared by all callers (sessions are thread-safe). Work
 * runs in batches of {@link EncoderOptions#batchSize()}; every tensor and result is closed. {@link
 * #close()} waits for the batch in flight, then releases the native sessions; later calls throw
 * {@link ClosedException}, so a close racing an embed never touches freed native memory.
 *
 * <p>A combined {@code model.onnx} runs the whole graph on every call (ONNX Runtime executes every
 * node, whatever outputs are requested), so a text batch is given one blank image and an image
 * batch one two-token text: the cost of one extra item per batch, never an error.
 */
public final class OnnxClipEncoder implements MultiModalEncoder {
  /**
   * Version of this encoder's preprocessing; part of every fingerprint. Bump it whenever a change
   * here (decoding, resize, crop, tokenization) changes the vectors, so old collections refuse the
   * new vectors instead of silently mixing them.
   */
  public static final String PREPROCESSING_VERSION = "1";

  private static final Logger LOG = LoggerFactory.getLogger(OnnxClipEncoder.class);
  private static final AtomicBoolean TELEMETRY_OFF = new AtomicBoolean();

  private final ModelLayout layout;
  private final EncoderOptions options;
  private final OrtEnvironment env;
  private final OrtSession textSession;
  private final OrtSession visionSession;
  private final TextIo textIo;
  private final VisionIo visionIo;
  private final ClipTokenizer tokenizer;
  private final ImagePreprocessor preprocessor;
  private final ModelFingerprint fingerprint;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private volatile boolean closed;

  /** How the text tower is fed and read. */
  private record TextIo(
      String ids,
      OnnxJavaType idsType,
      String mask,
      OnnxJavaType maskType,
      String output,
      long fixedBatch,
      long fixedSeq,
      String pixelsForCombined,
      long[] pixelShapeForCombined) {}

  /** How the vision tower is fed and read. */
  private record VisionIo(
      String pixels,
      String output,
      long fixedBatch,
      long height,
      long width,
      String idsForCombined,
      OnnxJavaType idsTypeForCombined,
      String maskForCombined,
      OnnxJavaType maskTypeForCombined) {}

  private OnnxClipEncoder(
      ModelLayout layout,
      EncoderOptions options,
      OrtEnvironment env,
      OrtSession textSession,
      OrtSession visionSession,
      TextIo textIo,
      VisionIo visionIo,
      ClipTokenizer tokenizer,
      ImagePreprocessor preprocessor,
      ModelFingerprint fingerprint) {
    this.layout = layout;
    this.options = options;
    this.env = env;
    this.textSession = textSession;
    this.visionSession = visionSession;
    this.textIo = textIo;
    this.visionIo = visionIo;
    this.tokenizer = tokenizer;
    this.preprocessor = preprocessor;
    this.fingerprint = fingerprint;
  }

  /** Opens the model in {@code dir} with default options. */
  public static OnnxClipEncoder open(Path dir) throws IOException {
    return open(dir, EncoderOptions.defaults());
  }

  /**
   * Opens the model in {@code dir}; see {@link ModelLayout} for the layouts and {@link
   * EncoderOptions} for the options.
   */
  public static OnnxClipEncoder open(Path dir, EncoderOptions options) throws IOException {
    ModelLayout layout = ModelLayout.of(dir);
    Path tokenizerFile = layout.sidecar("tokenizer.json");
    if (tokenizerFile == null) {
      throw new ModelLayout.LayoutException(
          "The model in "
              + dir.toAbsolutePath()
              + " ("
              + layout.kind().name().toLowerCase(Locale.ROOT)
              + " layout) has no tokenizer.json beside the graphs or in the directory. Expected: "
              + ModelLayout.EXPECTED
              + ".");
    }
    Path sums = dir.resolve("SHA256SUMS");
    if (options.verifyChecksums() && Files.isRegularFile(sums)) {
      FileDigests.verify(sums); // before any file is parsed or handed to native code
      Map<String, String> listed = FileDigests.readSums(sums);
      for (Path f : layout.modelFiles()) {
        String rel =
            dir.toAbsolutePath().relativize(f.toAbsolutePath()).toString().replace('\\', '/');
        if (!listed.containsKey(rel))
          LOG.warn("{} is not listed in {}: it was loaded without a pinned checksum.", rel, sums);
      }
    }

    JsonObject config = json(layout.sidecar("config.json"));
    JsonObject openClip = json(layout.sidecar("open_clip_config.json"));
    PreprocessorConfig pre;
    Path preFile = layout.sidecar("preprocessor_config.json");
    if (preFile != null) {
      pre = PreprocessorConfig.read(preFile);
    } else if (openClip != null) {
      pre = PreprocessorConfig.fromOpenClip(openClip);
    } else {
      throw new ModelLayout.LayoutException(
          "The model in "
              + dir.toAbsolutePath()
              + " has neither preprocessor_config.json nor open_clip_config.json, so the image"
              + " size, crop, mean and std are unknown. Expected one of them beside the graphs.");
    }

    List<AutoCloseable> opened = new ArrayList<>();
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      // On a thread with a stack large enough for ONNX Runtime's start-up (see LargeStack).
      OrtEnvironment env = LargeStack.call("environment", OnnxClipEncoder::environment);
      so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      so.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
      if (options.intraOpThreads() > 0) so.setIntraOpNumThreads(options.intraOpThreads());
      OrtSession textSession =
          LargeStack.call("text graph", () -> env.createSession(layout.textModel().toString(), so));
      opened.add(textSession);
      OrtSession visionSession = textSession;
      if (layout.kind() != ModelLayout.Kind.COMBINED) {
        visionSession =
            LargeStack.call(
                "vision graph", () -> env.createSession(layout.visionModel().toString(), so));
        opened.add(visionSession);
      }
      Map<String, NodeInfo> tIn = textSession.getInputInfo();
      Map<String, NodeInfo> tOut = textSession.getOutputInfo();
      Map<String, NodeInfo> vIn = visionSession.getInputInfo();
      Map<String, NodeInfo> vOut = visionSession.getOutputInfo();
      boolean combined = layout.kind() == ModelLayout.Kind.COMBINED;

      String pixels =
          pickInput(
              vIn,
              Set.of(OnnxJavaType.FLOAT),
              List.of("pixel_values", "image", "images", "input", "x"),
              List.of("pixel", "image"),
              layout.visionModel(),
              "the image input (float [batch, 3, height, width], e.g. pixel_values)");
      String ids =
          pickInput(
              tIn,
              Set.of(OnnxJavaType.INT64, OnnxJavaType.INT32),
              List.of("input_ids", "text", "input", "tokens"),
              List.of("input_ids", "token", "text"),
              layout.textModel(),
              "the token input (int64 [batch, sequence], e.g. input_ids)");
      String mask = null;
      for (String n : tIn.keySet()) {
        if (!n.equals(ids) && n.toLowerCase(Locale.ROOT).contains("mask")) mask = n;
      }
      List<String> unknownText = new ArrayList<>(tIn.keySet());
      unknownText.removeAll(Arrays.asList(ids, mask, combined ? pixels : null));
      List<String> unknownVision = new ArrayList<>(vIn.keySet());
      unknownVision.removeAll(Arrays.asList(pixels, combined ? ids : null, combined ? mask : null));
      if (!unknownText.isEmpty() || !unknownVision.isEmpty()) {
        throw new ModelLayout.LayoutException(
            "The graphs of "
                + layout
                + " have inputs Tessera does not know how to feed: "
                + describe(
                    unknownText.isEmpty() ? unknownVision : unknownText,
                    unknownText.isEmpty() ? vIn : tIn)
                + ". Found inputs: text "
                + describe(tIn)
                + ", vision "
                + describe(vIn)
                + ". Expected: token ids (+ optional attention mask) for text, pixel values for"
                + " images.");
      }
      String textOut =
          pickOutput(
              tOut,
              List.of("text_embeds", "text_features", "text_embeddings"),
              combined ? "text" : null,
              layout.textModel(),
              "text");
      String imageOut =
          pickOutput(
              vOut,
              List.of("image_embeds", "image_features", "image_embeddings"),
              combined ? "image" : null,
              layout.visionModel(),
              "image");

      long[] pShape = shape(vIn.get(pixels));
      long[] idShape = shape(tIn.get(ids));
      if (pShape.length != 4 || idShape.length != 2) {
        throw new ModelLayout.LayoutException(
            "Unexpected input ranks in "
                + layout
                + ": "
                + pixels
                + " has shape "
                + Arrays.toString(pShape)
                + " (expected [batch, 3, height, width]) and "
                + ids
                + " has shape "
                + Arrays.toString(idShape)
                + " (expected [batch, sequence]).");
      }
      int ph = pre.outputHeight();
      int pw = pre.outputWidth();
      if ((pShape[2] > 0 && ph > 0 && pShape[2] != ph)
          || (pShape[3] > 0 && pw > 0 && pShape[3] != pw)) {
        throw new ModelLayout.LayoutException(
            "The vision graph of "
                + layout
                + " takes "
                + pShape[2]
                + "x"
                + pShape[3]
                + " images but the preprocessing config produces "
                + ph
                + "x"
                + pw
                + ". Fix crop_size in preprocessor_config.json.");
      }
      int context = contextLength(idShape, config, openClip);
      Long padId = layout.kind() == ModelLayout.Kind.OPEN_CLIP ? Long.valueOf(0L) : null;
      ClipTokenizer tokenizer = new ClipTokenizer(tokenizerFile, context, padId);
      opened.add(tokenizer);

      TextIo textIo =
          new TextIo(
              ids,
              type(tIn.get(ids)),
              mask,
              mask == null ? null : type(tIn.get(mask)),
              textOut,
              idShape[0],
              idShape[1],
              combined ? pixels : null,
              new long[] {1, 3, ph > 0 ? ph : pShape[2], pw > 0 ? pw : pShape[3]});
      VisionIo visionIo =
          new VisionIo(
              pixels,
              imageOut,
              pShape[0],
              ph,
              pw,
              combined ? ids : null,
              combined ? type(tIn.get(ids)) : null,
              combined ? mask : null,
              combined && mask != null ? type(tIn.get(mask)) : null);
      ImagePreprocessor preprocessor =
          new ImagePreprocessor(pre, new ImageDecoder(options.maxImagePixels()));

      int dim = dimension(tOut.get(textOut), vOut.get(imageOut), config, openClip, layout);
      String name = modelName(config, dir);
      FingerprintDigest d =
          FingerprintDigest.create()
              .field("encoder", "dev.tessera.encoders.onnx")
              .field("preprocessing-version", PREPROCESSING_VERSION)
              .field("layout", layout.kind().name());
      for (Path f : layout.modelFiles()) {
        d.field("model-file:" + f.getFileName(), FileDigests.sha256(f));
      }
      d.field("tokenizer.json", FileDigests.sha256(tokenizerFile))
          .field(
              "image-preprocessing",
              pre.canonical() + ";decode=exif_transpose,alpha_dropped,cmyk_pil,gray16_clip")
          .field("text-preprocessing", tokenizer.canonical())
          .field("outputs", "text=" + textOut + ";image=" + imageOut + ";l2_normalized");
      ModelFingerprint fp = ModelFingerprint.of(name, dim, Similarity.COSINE, true, d.hex());
      LOG.info(
          "Opened {} as {} ({} layout, text output {}, image output {}, context {}, {})",
          dir,
          fp,
          layout.kind().name().toLowerCase(Locale.ROOT),
          textOut,
          imageOut,
          context,
          pre.canonical());
      return new OnnxClipEncoder(
          layout,
          options,
          env,
          textSession,
          visionSession,
          textIo,
          visionIo,
          tokenizer,
          preprocessor,
          fp);
    } catch (OrtException e) {
      closeAll(opened);
      throw new IOException(
          "ONNX Runtime could not load the model in "
              + dir.toAbsolutePath()
              + ": "
              + e.getMessage(),
          e);
    } catch (IOException | RuntimeException e) {
      closeAll(opened);
      throw e;
    }
  }

  /**
   * ONNX Runtime's process-wide environment, with its telemetry switched off: Tessera sends nothing
   * anywhere. The first call creates it, and with it starts the telemetry SDK, which may send one
   * start-up event before it can be switched off; {@code ORT_DISABLE_TELEMETRY=1} in the
   * environment (the {@code tessera} command sets it) prevents even that. Must run on a {@link
   * LargeStack} thread.
   */
  private static OrtEnvironment environment() throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    if (!TELEMETRY_OFF.get()) {
      env.setTelemetry(false);
      TELEMETRY_OFF.set(true);
    }
    return env;
  }

  @Override
  public ModelFingerprint fingerprint() {
    return fingerprint;
  }

  /** The layout this encoder was opened from. */
  public ModelLayout layout() {
    return layout;
  }

  /** The options in force. */
  public EncoderOptions options() {
    return options;
  }

  /** The tokenizer, to inspect token ids. */
  public ClipTokenizer tokenizer() {
    return tokenizer;
  }

  /** The image preprocessing, to check tensors on their own. */
  public ImagePreprocessor preprocessor() {
    return preprocessor;
  }

  @Override
  public List<Embedding> embedTexts(List<String> texts) {
    checkOpen();
    List<Embedding> out = new ArrayList<>(texts.size());
    int batch = effectiveBatch(textIo.fixedBatch);
    for (int start = 0; start < texts.size(); start += batch) {
      List<String> chunk = texts.subList(start, Math.min(texts.size(), start + batch));
      // Tokenize under the lifecycle lock too: the tokenizer is native memory that close() frees.
      float[][] vectors = withSession(() -> runText(tokenizer.encode(chunk), chunk.size()));
      for (int i = 0; i < vectors.length; i++) {
        String problem = normalize(vectors[i]);
        if (problem != null) {
          throw new TesseraException(
              "Text "
                  + (start + i)
                  + " ('"
                  + abbreviate(chunk.get(i))
                  + "') embedded to "
                  + problem
                  + "; the model in "
                  + layout.root()
                  + " may be broken.");
        }
        out.add(new Embedding(vectors[i], fingerprint, Modality.TEXT));
      }
    }
    return out;
  }

  @Override
  public List<EmbeddingResult> embedImages(List<Path> images) {
    checkOpen();
    EmbeddingResult[] results = new EmbeddingResult[images.size()];
    int batch = effectiveBatch(visionIo.fixedBatch);
    for (int start = 0; start < images.size(); start += batch) {
      int from = start;
      int n = Math.min(images.size(), start + batch) - start;
      ImagePreprocessor.Tensor[] tensors = new ImagePreprocessor.Tensor[n];
      // Decoding is the slow part for large photos: spread it over cores; failures stay per item.
      IntStream.range(0, n)
          .parallel()
          .forEach(
              i -> {
                Path p = images.get(from + i);
                try {
                  tensors[i] = preprocessor.preprocess(p);
                } catch (TesseraException e) {
                  results[from + i] = EmbeddingResult.failure(String.valueOf(p), e);
                } catch (RuntimeException e) {
                  results[from + i] =
                      EmbeddingResult.failure(
                          String.valueOf(p),
                          new ImageDecodeException(
                              "Image " + p + " could not be preprocessed: " + e, e));
                }
              });
      List<Integer> ok = new ArrayList<>();
      for (int i = 0; i < n; i++) if (tensors[i] != null) ok.add(i);
      if (ok.isEmpty()) continue;
      float[][] vectors = withSession(() -> runVision(tensors, ok));
      for (int k = 0; k < ok.size(); k++) {
        int i = ok.get(k);
        String label = String.valueOf(images.get(from + i));
        String problem = normalize(vectors[k]);
        results[from + i] =
            problem == null
                ? EmbeddingResult.success(
                    label, new Embedding(vectors[k], fingerprint, Modality.IMAGE))
                : EmbeddingResult.failure(
                    label,
                    new TesseraException(
                        "Image " + label + " embedded to " + problem + "; it was left out."));
      }
    }
    return Arrays.asList(results);
  }

  /**
   * Releases the native sessions after the batch in flight; later calls throw {@link
   * ClosedException}. Idempotent.
   */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) return;
      closed = true;
      List<AutoCloseable> all = new ArrayList<>();
      all.add(textSession);
      if (visionSession != textSession) all.add(visionSession);
      all.add(tokenizer);
      closeAll(all);
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "OnnxClipEncoder[" + fingerprint + ", " + layout + "]";
  }

  // ------------------------------------------------------------------ running

  private interface OrtCall {
    float[][] run() throws OrtException;
  }

  private float[][] withSession(OrtCall call) {
    lifecycle.readLock().lock();
    try {
      checkOpen();
      return call.run();
    } catch (OrtException e) {
      throw new TesseraException(
          "ONNX Runtime failed on the model in " + layout.root() + ": " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new ClosedException(
          "The onnx encoder for " + layout.root() + " is closed; open it again to embed.");
    }
  }

  private int effectiveBatch(long fixed) {
    return fixed > 0 ? (int) fixed : options.batchSize();
  }

  private float[][] runText(ClipTokenizer.Batch tokens, int n) throws OrtException {
    int rows = textIo.fixedBatch > 0 ? (int) textIo.fixedBatch : n;
    int seq = tokenizer.contextLength();
    long[] ids = new long[rows * seq];
    long[] mask = new long[rows * seq];
    for (int r = 0; r < rows; r++) {
      int src = Math.min(r, n - 1); // a fixed-batch graph gets copies of the last row as filler
      System.arraycopy(tokens.ids()[src], 0, ids, r * seq, seq);
      System.arraycopy(tokens.attentionMask()[src], 0, mask, r * seq, seq);
    }
    Map<String, OnnxTensor> in = new LinkedHashMap<>();
    try {
      in.put(textIo.ids, intTensor(ids, new long[] {rows, seq}, textIo.idsType));
      if (textIo.mask != null)
        in.put(textIo.mask, intTensor(mask, new long[] {rows, seq}, textIo.maskType));
      if (textIo.pixelsForCombined != null) {
        long[] s = textIo.pixelShapeForCombined;
        in.put(
            textIo.pixelsForCombined,
            OnnxTensor.createTensor(env, FloatBuffer.allocate((int) (s[1] * s[2] * s[3])), s));
      }
      return runAndRead(textSession, in, textIo.output, n);
    } finally {
      in.values().forEach(OnnxTensor::close);
    }
  }

  private float[][] runVision(ImagePreprocessor.Tensor[] tensors, List<Integer> ok)
      throws OrtException {
    int n = ok.size();
    int rows = visionIo.fixedBatch > 0 ? (int) visionIo.fixedBatch : n;
    ImagePreprocessor.Tensor first = tensors[ok.get(0)];
    int per = first.data().length;
    float[] data = new float[rows * per];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(tensors[ok.get(Math.min(r, n - 1))].data(), 0, data, r * per, per);
    }
    Map<String, OnnxTensor> in = new LinkedHashMap<>();
    try {
      in.put(
          visionIo.pixels,
          OnnxTensor.createTensor(
              env, FloatBuffer.wrap(data), new long[] {rows, 3, first.height(), first.width()}));
      if (visionIo.idsForCombined != null) {
        long[] shape = {1, 2};
        in.put(
            visionIo.idsForCombined,
            intTensor(
                new long[] {tokenizer.startId(), tokenizer.endId()},
                shape,
                visionIo.idsTypeForCombined));
        if (visionIo.maskForCombined != null) {
          in.put(
              visionIo.maskForCombined,
              intTensor(new long[] {1, 1}, shape, visionIo.maskTypeForCombined));
        }
      }
      return runAndRead(visionSession, in, visionIo.output, n);
    } finally {
      in.values().forEach(OnnxTensor::close);
    }
  }

  private OnnxTensor intTensor(long[] values, long[] shape, OnnxJavaType type) throws OrtException {
    if (type == OnnxJavaType.INT32) {
      int[] v = new int[values.length];
      for (int i = 0; i < v.length; i++) v[i] = Math.toIntExact(values[i]);
      return OnnxTensor.createTensor(env, IntBuffer.wrap(v), shape);
    }
    return OnnxTensor.createTensor(env, LongBuffer.wrap(values), shape);
  }

  private static float[][] runAndRead(
      OrtSession session, Map<String, OnnxTensor> in, String output, int n) throws OrtException {
    try (OrtSession.Result result = session.run(in, Set.of(output))) {
      OnnxValue v =
          result
              .get(output)
              .orElseThrow(
                  () ->
                      new TesseraException(
                          "The model did not return its output '" + output + "'."));
      if (!(v instanceof OnnxTensor t)) {
        throw new TesseraException(
            "Output '" + output + "' is a " + v.getType() + ", not a tensor.");
      }
      long[] shape = t.getInfo().getShape();
      if (shape.length != 2 || shape[0] < n) {
        throw new TesseraException(
            "Output '"
                + output
                + "' has shape "
                + Arrays.toString(shape)
                + "; expected ["
                + n
                + ", dimension]. Choose an export whose tower ends in the projection (text_embeds /"
                + " image_embeds).");
      }
      int dim = (int) shape[1];
      FloatBuffer fb = t.getFloatBuffer();
      float[][] out = new float[n][dim];
      for (int i = 0; i < n; i++) fb.get(i * dim, out[i], 0, dim);
      return out;
    }
  }

  /**
   * Scales {@code v} to unit length in place; returns what is wrong with it instead, if anything.
   */
  static String normalize(float[] v) {
    double sum = 0;
    for (float x : v) {
      if (!Float.isFinite(x)) return "a vector with a non-finite component (" + x + ")";
      sum += (double) x * x;
    }
    if (sum == 0) return "an all-zero vector";
    double inv = 1.0 / Math.sqrt(sum);
    for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] * inv);
    return null;
  }

  // ------------------------------------------------------------------ loading helpers

  private static JsonObject json(Path file) throws IOException {
    if (file == null) return null;
    try {
      JsonElement e = JsonParser.parseString(Files.readString(file));
      if (!e.isJsonObject()) throw new IOException(file + " is not a JSON object.");
      return e.getAsJsonObject();
    } catch (RuntimeException e) {
      throw new IOException(file + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  private static String pickInput(
      Map<String, NodeInfo> inputs,
      Set<OnnxJavaType> types,
      List<String> exact,
      List<String> containing,
      Path graph,
      String what)
      throws IOException {
    for (String n : exact) {
      if (inputs.containsKey(n) && types.contains(type(inputs.get(n)))) return n;
    }
    for (String c : containing) {
      for (String n : inputs.keySet()) {
        if (n.toLowerCase(Locale.ROOT).contains(c) && types.contains(type(inputs.get(n)))) return n;
      }
    }
    List<String> typed = new ArrayList<>();
    for (Map.Entry<String, NodeInfo> e : inputs.entrySet()) {
      if (types.contains(type(e.getValue()))
          && !e.getKey().toLowerCase(Locale.ROOT).contains("mask")) typed.add(e.getKey());
    }
    if (typed.size() == 1) return typed.get(0);
    throw new ModelLayout.LayoutException(
        "Can not find " + what + " among the inputs of " + graph + ": " + describe(inputs) + ".");
  }

  private static String pickOutput(
      Map<String, NodeInfo> outputs,
      List<String> exact,
      String containing,
      Path graph,
      String tower)
      throws IOException {
    for (String n : exact) {
      if (outputs.containsKey(n)) return n;
    }
    if (containing == null) {
      if (outputs.size() == 1) return outputs.keySet().iterator().next();
      List<String> embeds = new ArrayList<>();
      for (String n : outputs.keySet()) {
        if (n.toLowerCase(Locale.ROOT).contains("embed")
            || n.toLowerCase(Locale.ROOT).contains("pooler")) embeds.add(n);
      }
      if (embeds.size() == 1) return embeds.get(0);
    } else {
      for (String n : outputs.keySet()) {
        String l = n.toLowerCase(Locale.ROOT);
        if (l.contains(containing) && (l.contains("embed") || l.contains("feature"))) return n;
      }
    }
    throw new ModelLayout.LayoutException(
        "Can not tell which output of "
            + graph
            + " is the "
            + tower
            + " embedding. Found outputs: "
            + describe(outputs)
            + ". Expected "
            + exact.get(0)
            + " (or a single output of shape [batch, dimension]).");
  }

  private static OnnxJavaType type(NodeInfo info) {
    ValueInfo v = info.getInfo();
    return v instanceof TensorInfo t ? t.type : OnnxJavaType.UNKNOWN;
  }

  private static long[] shape(NodeInfo info) {
    return info.getInfo() instanceof TensorInfo t ? t.getShape() : new long[0];
  }

  private static String describe(Map<String, NodeInfo> m) {
    return describe(new ArrayList<>(m.keySet()), m);
  }

  private static String describe(List<String> names, Map<String, NodeInfo> m) {
    List<String> parts = new ArrayList<>();
    for (String n : names) {
      NodeInfo i = m.get(n);
      parts.add(
          n
              + (i != null && i.getInfo() instanceof TensorInfo t
                  ? " " + t.type.name().toLowerCase(Locale.ROOT) + Arrays.toString(t.getShape())
                  : ""));
    }
    return "[" + String.join(", ", parts) + "]";
  }

  private static int contextLength(long[] idShape, JsonObject config, JsonObject openClip) {
    if (idShape[1] > 0) return (int) idShape[1];
    if (config != null
        && config.has("text_config")
        && config.getAsJsonObject("text_config").has("max_position_embeddings")) {
      return config.getAsJsonObject("text_config").get("max_position_embeddings").getAsInt();
    }
    if (config != null && config.has("max_position_embeddings"))
      return config.get("max_position_embeddings").getAsInt();
    if (openClip != null && openClip.has("model_cfg")) {
      JsonObject m = openClip.getAsJsonObject("model_cfg");
      if (m.has("text_cfg") && m.getAsJsonObject("text_cfg").has("context_length")) {
        return m.getAsJsonObject("text_cfg").get("context_length").getAsInt();
      }
    }
    return 77;
  }

  private static int dimension(
      NodeInfo text, NodeInfo image, JsonObject config, JsonObject openClip, ModelLayout layout)
      throws IOException {
    long[] ts = shape(text);
    long[] is = shape(image);
    long td = ts.length == 2 ? ts[1] : -1;
    long id = is.length == 2 ? is[1] : -1;
    if (td > 0 && id > 0 && td != id) {
      throw new ModelLayout.LayoutException(
          "The towers of "
              + layout
              + " disagree: text embeddings have "
              + td
              + " dimensions, images "
              + id
              + ". They must share one space.");
    }
    long d = td > 0 ? td : id;
    if (d <= 0 && config != null && config.has("projection_dim"))
      d = config.get("projection_dim").getAsLong();
    if (d <= 0
        && openClip != null
        && openClip.has("model_cfg")
        && openClip.getAsJsonObject("model_cfg").has("embed_dim")) {
      d = openClip.getAsJsonObject("model_cfg").get("embed_dim").getAsLong();
    }
    if (d <= 0) {
      throw new ModelLayout.LayoutException(
          "The embedding dimension of "
              + layout
              + " is not fixed in the graphs and not given by projection_dim in config.json (or"
              + " embed_dim in open_clip_config.json); add it there.");
    }
    return (int) d;
  }

  private static String modelName(JsonObject config, Path dir) {
    if (config != null) {
      for (String key : new String[] {"name", "_name_or_path"}) {
        if (config.has(key) && config.get(key).isJsonPrimitive()) {
          String v = config.get(key).getAsString().strip();
          if (!v.isEmpty() && !v.startsWith("/") && !v.startsWith(".") && v.length() <= 200)
            return v;
        }
      }
    }
    Path name = dir.toAbsolutePath().normalize().getFileName();
    return name == null ? "onnx-model" : name.toString();
  }

  private static void closeAll(List<AutoCloseable> things) {
    for (AutoCloseable c : things) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("Closing {} failed: {}", c, e.toString());
      }
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 60) + "…";
  }
}
