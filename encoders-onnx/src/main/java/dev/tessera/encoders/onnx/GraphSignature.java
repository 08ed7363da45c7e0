package dev.tessera.encoders.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How a model's graphs are fed and read, found from their inputs and outputs: which input takes
 * token ids, attention mask and pixels, which output is each tower's embedding, the fixed batch and
 * sequence sizes, the embedding dimension. Graphs Tessera can not feed are refused here, with what
 * was found and what was expected.
 *
 * @param text how the text tower is fed and read
 * @param vision how the vision tower is fed and read
 * @param contextLength tokens per text
 * @param dimension the embedding dimension both towers share
 */
record GraphSignature(TextIo text, VisionIo vision, int contextLength, int dimension) {

  /**
   * How the text tower is fed and read.
   *
   * @param ids the token-id input
   * @param idsType its element type (int64 or int32)
   * @param mask the attention-mask input, or {@code null}
   * @param maskType its element type, or {@code null}
   * @param output the text-embedding output
   * @param fixedBatch the batch size the graph fixes, or a value below 1
   * @param fixedSeq the sequence length the graph fixes, or a value below 1
   * @param pixelsForCombined the pixel input a combined graph needs on a text call, or {@code null}
   * @param pixelShapeForCombined the shape of the blank image it is given
   * @param pixelTypeForCombined its element type (float32 or float16), or {@code null}
   * @param sharedBatch whether a combined graph names the text and image batch axes alike, so it
   *     needs as many blank images as texts
   */
  record TextIo(
      String ids,
      OnnxJavaType idsType,
      String mask,
      OnnxJavaType maskType,
      String output,
      long fixedBatch,
      long fixedSeq,
      String pixelsForCombined,
      long[] pixelShapeForCombined,
      OnnxJavaType pixelTypeForCombined,
      boolean sharedBatch) {}

  /**
   * How the vision tower is fed and read.
   *
   * @param pixels the pixel input
   * @param pixelType its element type: float32, or float16 for an fp16 export
   * @param output the image-embedding output
   * @param fixedBatch the batch size the graph fixes, or a value below 1
   * @param height the image height the preprocessing produces
   * @param width the image width the preprocessing produces
   * @param idsForCombined the token input a combined graph needs on an image call, or {@code null}
   * @param idsTypeForCombined its element type, or {@code null}
   * @param maskForCombined the mask input a combined graph needs on an image call, or {@code null}
   * @param maskTypeForCombined its element type, or {@code null}
   * @param sharedBatch whether a combined graph needs as many filler texts as images
   */
  record VisionIo(
      String pixels,
      OnnxJavaType pixelType,
      String output,
      long fixedBatch,
      long height,
      long width,
      String idsForCombined,
      OnnxJavaType idsTypeForCombined,
      String maskForCombined,
      OnnxJavaType maskTypeForCombined,
      boolean sharedBatch) {}

  /** Reads the signature of {@code sessions}' graphs and checks it against {@code pre}. */
  static GraphSignature read(OrtSessions sessions, ModelFiles files, PreprocessorConfig pre)
      throws IOException, OrtException {
    ModelLayout layout = files.layout();
    Map<String, NodeInfo> tIn = sessions.text().getInputInfo();
    Map<String, NodeInfo> tOut = sessions.text().getOutputInfo();
    Map<String, NodeInfo> vIn = sessions.vision().getInputInfo();
    Map<String, NodeInfo> vOut = sessions.vision().getOutputInfo();
    boolean combined = layout.kind() == ModelLayout.Kind.COMBINED;

    String pixels =
        pickInput(
            vIn,
            Set.of(OnnxJavaType.FLOAT, OnnxJavaType.FLOAT16),
            List.of("pixel_values", "image", "images", "input", "x"),
            List.of("pixel", "image"),
            layout.visionModel(),
            "the image input (float or float16 [batch, 3, height, width], e.g. pixel_values)");
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
    requireKnownInputs(layout, tIn, vIn, ids, mask, pixels, combined);
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
    int context = files.contextLength(idShape[1]);
    // One dynamic axis name for both batches (a plain torch.onnx.export): ONNX Runtime plans
    // buffers as if both were one size, so the filler of the other tower must match the batch.
    boolean shared = combined && sameBatchAxis(tIn.get(ids), vIn.get(pixels));
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
            new long[] {1, 3, ph > 0 ? ph : pShape[2], pw > 0 ? pw : pShape[3]},
            combined ? type(vIn.get(pixels)) : null,
            shared);
    VisionIo visionIo =
        new VisionIo(
            pixels,
            type(vIn.get(pixels)),
            imageOut,
            pShape[0],
            ph,
            pw,
            combined ? ids : null,
            combined ? type(tIn.get(ids)) : null,
            combined ? mask : null,
            combined && mask != null ? type(tIn.get(mask)) : null,
            shared);
    int dim = dimension(tOut.get(textOut), vOut.get(imageOut), files);
    return new GraphSignature(textIo, visionIo, context, dim);
  }

  private static void requireKnownInputs(
      ModelLayout layout,
      Map<String, NodeInfo> tIn,
      Map<String, NodeInfo> vIn,
      String ids,
      String mask,
      String pixels,
      boolean combined)
      throws IOException {
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

  private static int dimension(NodeInfo text, NodeInfo image, ModelFiles files) throws IOException {
    long[] ts = shape(text);
    long[] is = shape(image);
    long td = ts.length == 2 ? ts[1] : -1;
    long id = is.length == 2 ? is[1] : -1;
    if (td > 0 && id > 0 && td != id) {
      throw new ModelLayout.LayoutException(
          "The towers of "
              + files.layout()
              + " disagree: text embeddings have "
              + td
              + " dimensions, images "
              + id
              + ". They must share one space.");
    }
    long d = td > 0 ? td : id;
    if (d <= 0) d = files.configuredDimension();
    if (d <= 0) {
      throw new ModelLayout.LayoutException(
          "The embedding dimension of "
              + files.layout()
              + " is not fixed in the graphs and not given by projection_dim in config.json (or"
              + " embed_dim in open_clip_config.json); add it there.");
    }
    return (int) d;
  }

  private static boolean sameBatchAxis(NodeInfo ids, NodeInfo pixels) {
    if (!(ids.getInfo() instanceof TensorInfo a) || !(pixels.getInfo() instanceof TensorInfo b))
      return false;
    String[] an = a.getDimensionNames();
    String[] bn = b.getDimensionNames();
    return an.length > 0 && bn.length > 0 && !an[0].isEmpty() && an[0].equals(bn[0]);
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
}
