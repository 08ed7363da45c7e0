package dev.tessera.encoders.onnx;

import ai.onnxruntime.OrtException;
import dev.tessera.api.ClosedException;
import dev.tessera.api.Embedding;
import dev.tessera.api.EmbeddingResult;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.TesseraException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantReadWriteLock;
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
 * batch one empty text (one per item when the graph shares its batch axis), never an error.
 */
public final class OnnxClipEncoder implements MultiModalEncoder {
  /**
   * Version of this encoder's preprocessing; part of every fingerprint. Bump it whenever a change
   * here (decoding, resize, crop, tokenization) changes the vectors, so old collections refuse the
   * new vectors instead of silently mixing them.
   */
  public static final String PREPROCESSING_VERSION = "2"; // 2: tokenizer.json hashed canonically

  private static final Logger LOG = LoggerFactory.getLogger(OnnxClipEncoder.class);

  private final ModelLayout layout;
  private final EncoderOptions options;
  private final OrtSessions sessions;
  private final GraphSignature graphs;
  private final TowerRunner towers;
  private final ClipTokenizer tokenizer;
  private final ImagePreprocessor preprocessor;
  private final ModelFingerprint fingerprint;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private volatile boolean closed;

  private OnnxClipEncoder(
      ModelLayout layout,
      EncoderOptions options,
      OrtSessions sessions,
      GraphSignature graphs,
      ClipTokenizer tokenizer,
      ImagePreprocessor preprocessor,
      ModelFingerprint fingerprint) {
    this.layout = layout;
    this.options = options;
    this.sessions = sessions;
    this.graphs = graphs;
    this.towers = new TowerRunner(sessions, graphs, tokenizer);
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
   * EncoderOptions} for the options. In order: the files are found and verified ({@link
   * ModelFiles}), the preprocessing config is read, the graphs are loaded ({@link OrtSessions}, on
   * a thread with a large enough stack) and their inputs and outputs matched ({@link
   * GraphSignature}), the tokenizer is opened, and the fingerprint computed ({@link
   * EncoderFingerprint}).
   */
  public static OnnxClipEncoder open(Path dir, EncoderOptions options) throws IOException {
    ModelFiles files = ModelFiles.resolve(dir, options.verifyChecksums());
    PreprocessorConfig pre = files.preprocessing();
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      OrtSessions sessions = OrtSessions.open(files.layout(), options);
      opened.add(sessions);
      GraphSignature graphs = GraphSignature.read(sessions, files, pre);
      // OpenCLIP pads with 0; Hugging Face's CLIP tokenizer with the end token (the file's
      // default); XLM-R's with the <pad> its tokenizer_config.json names.
      Long padId =
          files.layout().kind() == ModelLayout.Kind.OPEN_CLIP
              ? Long.valueOf(0L)
              : files.configuredPadId();
      ClipTokenizer tokenizer = new ClipTokenizer(files.tokenizer(), graphs.contextLength(), padId);
      opened.add(tokenizer);
      ImagePreprocessor preprocessor =
          new ImagePreprocessor(pre, new ImageDecoder(options.maxImagePixels()));
      ModelFingerprint fp = EncoderFingerprint.of(files, pre, tokenizer, graphs);
      LOG.info(
          "Opened {} as {} ({} layout, text output {}, image output {}, context {}, {})",
          dir,
          fp,
          files.layout().kind().name().toLowerCase(Locale.ROOT),
          graphs.text().output(),
          graphs.vision().output(),
          graphs.contextLength(),
          pre.canonical());
      return new OnnxClipEncoder(
          files.layout(), options, sessions, graphs, tokenizer, preprocessor, fp);
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
    int batch = effectiveBatch(graphs.text().fixedBatch());
    for (int start = 0; start < texts.size(); start += batch) {
      List<String> chunk = texts.subList(start, Math.min(texts.size(), start + batch));
      // Tokenize under the lifecycle lock too: the tokenizer is native memory that close() frees.
      float[][] vectors = withSession(() -> towers.text(tokenizer.encode(chunk), chunk.size()));
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

  /**
   * Decodes on one thread per core while the vision tower runs, batch by batch ({@link
   * ImageEmbeddingPipeline}); an image that cannot be read becomes a failed result naming it.
   */
  @Override
  public List<EmbeddingResult> embedImages(List<Path> images) {
    return new ImageEmbeddingPipeline(this, Runtime.getRuntime().availableProcessors())
        .embed(images);
  }

  /** The number of images per vision-tower call. */
  int imageBatchSize() {
    return effectiveBatch(graphs.vision().fixedBatch());
  }

  /** The failed result for an image whose preprocessing threw {@code e}, not a Tessera error. */
  static EmbeddingResult unreadable(Path image, RuntimeException e) {
    return EmbeddingResult.failure(
        String.valueOf(image),
        new ImageDecodeException("Image " + image + " could not be preprocessed: " + e, e));
  }

  /**
   * Runs the vision tower once on {@code tensors[from, to)} (a null tensor: that image already has
   * its failed result) and stores each image's result in {@code results}.
   */
  void embedPrepared(
      List<Path> images,
      int from,
      int to,
      ImagePreprocessor.Tensor[] tensors,
      EmbeddingResult[] results) {
    List<Integer> ok = new ArrayList<>();
    for (int i = from; i < to; i++) if (tensors[i] != null) ok.add(i);
    if (ok.isEmpty()) return;
    float[][] vectors = withSession(() -> towers.images(tensors, ok));
    for (int k = 0; k < ok.size(); k++) {
      int i = ok.get(k);
      String label = String.valueOf(images.get(i));
      String problem = normalize(vectors[k]);
      results[i] =
          problem == null
              ? EmbeddingResult.success(
                  label, new Embedding(vectors[k], fingerprint, Modality.IMAGE))
              : EmbeddingResult.failure(
                  label,
                  new TesseraException(
                      "Image " + label + " embedded to " + problem + "; it was left out."));
    }
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
      closeAll(List.of(sessions, tokenizer));
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "OnnxClipEncoder[" + fingerprint + ", " + layout + "]";
  }

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

  void checkOpen() {
    if (closed) {
      throw new ClosedException(
          "The onnx encoder for " + layout.root() + " is closed; open it again to embed.");
    }
  }

  private int effectiveBatch(long fixed) {
    return fixed > 0 ? (int) fixed : options.batchSize();
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
