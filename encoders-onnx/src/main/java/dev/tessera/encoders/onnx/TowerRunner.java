package dev.tessera.encoders.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.platform.Fp16Conversions;
import dev.tessera.api.TesseraException;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one batch through a tower and reads its raw (not yet normalized) embeddings: builds the
 * input tensors the {@link GraphSignature} asks for (filler rows for a fixed-batch graph, a blank
 * image or a two-token text for the other half of a combined graph) and closes every tensor and
 * result. Callers hold the encoder's lifecycle lock.
 */
final class TowerRunner {
  private final OrtSessions sessions;
  private final GraphSignature.TextIo textIo;
  private final GraphSignature.VisionIo visionIo;
  private final ClipTokenizer tokenizer;

  TowerRunner(OrtSessions sessions, GraphSignature graphs, ClipTokenizer tokenizer) {
    this.sessions = sessions;
    this.textIo = graphs.text();
    this.visionIo = graphs.vision();
    this.tokenizer = tokenizer;
  }

  /** The text tower's output for the first {@code n} rows of {@code tokens}. */
  float[][] text(ClipTokenizer.Batch tokens, int n) throws OrtException {
    int rows = textIo.fixedBatch() > 0 ? (int) textIo.fixedBatch() : n;
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
      in.put(textIo.ids(), intTensor(ids, new long[] {rows, seq}, textIo.idsType()));
      if (textIo.mask() != null)
        in.put(textIo.mask(), intTensor(mask, new long[] {rows, seq}, textIo.maskType()));
      if (textIo.pixelsForCombined() != null) {
        long[] s = textIo.pixelShapeForCombined().clone();
        s[0] = textIo.sharedBatch() ? rows : 1;
        in.put(
            textIo.pixelsForCombined(),
            pixelTensor(
                new float[(int) (s[0] * s[1] * s[2] * s[3])], s, textIo.pixelTypeForCombined()));
      }
      return runAndRead(sessions.text(), in, textIo.output(), n);
    } finally {
      in.values().forEach(OnnxTensor::close);
    }
  }

  /** The vision tower's output for {@code tensors[i]}, {@code i} in {@code ok}, in that order. */
  float[][] images(ImagePreprocessor.Tensor[] tensors, List<Integer> ok) throws OrtException {
    int n = ok.size();
    int rows = visionIo.fixedBatch() > 0 ? (int) visionIo.fixedBatch() : n;
    ImagePreprocessor.Tensor first = tensors[ok.get(0)];
    int per = first.data().length;
    float[] data = new float[rows * per];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(tensors[ok.get(Math.min(r, n - 1))].data(), 0, data, r * per, per);
    }
    Map<String, OnnxTensor> in = new LinkedHashMap<>();
    try {
      in.put(
          visionIo.pixels(),
          pixelTensor(
              data, new long[] {rows, 3, first.height(), first.width()}, visionIo.pixelType()));
      if (visionIo.idsForCombined() != null) {
        // An empty text padded to the context length (a graph may fix the sequence), one per
        // image when the graph shares its batch axis.
        ClipTokenizer.Batch empty = tokenizer.encode(List.of(""));
        int texts = visionIo.sharedBatch() ? rows : 1;
        int seq = empty.ids()[0].length;
        long[] ids = new long[texts * seq];
        long[] mask = new long[texts * seq];
        for (int r = 0; r < texts; r++) {
          System.arraycopy(empty.ids()[0], 0, ids, r * seq, seq);
          System.arraycopy(empty.attentionMask()[0], 0, mask, r * seq, seq);
        }
        long[] shape = {texts, seq};
        in.put(visionIo.idsForCombined(), intTensor(ids, shape, visionIo.idsTypeForCombined()));
        if (visionIo.maskForCombined() != null) {
          in.put(
              visionIo.maskForCombined(), intTensor(mask, shape, visionIo.maskTypeForCombined()));
        }
      }
      return runAndRead(sessions.vision(), in, visionIo.output(), n);
    } finally {
      in.values().forEach(OnnxTensor::close);
    }
  }

  /** Pixels as the graph takes them: float32, or rounded to float16 for an fp16 export. */
  private OnnxTensor pixelTensor(float[] data, long[] shape, OnnxJavaType type)
      throws OrtException {
    if (type == OnnxJavaType.FLOAT16) {
      return OnnxTensor.createTensor(
          sessions.env(),
          Fp16Conversions.convertFloatBufferToFp16Buffer(FloatBuffer.wrap(data)),
          shape,
          OnnxJavaType.FLOAT16);
    }
    return OnnxTensor.createTensor(sessions.env(), FloatBuffer.wrap(data), shape);
  }

  private OnnxTensor intTensor(long[] values, long[] shape, OnnxJavaType type) throws OrtException {
    if (type == OnnxJavaType.INT32) {
      int[] v = new int[values.length];
      for (int i = 0; i < v.length; i++) v[i] = Math.toIntExact(values[i]);
      return OnnxTensor.createTensor(sessions.env(), IntBuffer.wrap(v), shape);
    }
    return OnnxTensor.createTensor(sessions.env(), LongBuffer.wrap(values), shape);
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
      // float16 outputs (fp16 exports) are widened to float32 here.
      FloatBuffer fb =
          t.getInfo().type == OnnxJavaType.FLOAT16
              ? Fp16Conversions.convertFp16BufferToFloatBuffer(t.getShortBuffer())
              : t.getFloatBuffer();
      if (fb == null) {
        throw new TesseraException(
            "Output '"
                + output
                + "' is "
                + t.getInfo().type
                + ", not float32 or float16; Tessera reads float embeddings only.");
      }
      float[][] out = new float[n][dim];
      for (int i = 0; i < n; i++) fb.get(i * dim, out[i], 0, dim);
      return out;
    }
  }
}
