package dev.tessera.encoders.onnx;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of one model export, found and verified before anything is parsed or handed to native
 * code, and what its JSON sidecars say: the model name, the preprocessing, the context length and
 * the embedding dimension where the graphs leave them open.
 *
 * @param dir the model directory as given
 * @param layout the export layout found in it
 * @param tokenizer its {@code tokenizer.json}
 * @param config {@code config.json}, or {@code null}
 * @param openClip {@code open_clip_config.json}, or {@code null}
 */
record ModelFiles(
    Path dir, ModelLayout layout, Path tokenizer, JsonObject config, JsonObject openClip) {
  private static final Logger LOG = LoggerFactory.getLogger(ModelFiles.class);

  /**
   * Hugging Face writes {@code model_max_length} as 1e30 when a tokenizer sets no limit; values
   * above this are read as no limit.
   */
  private static final double NO_LIMIT = 1_000_000;

  /**
   * Finds the layout in {@code dir}, requires a {@code tokenizer.json}, verifies {@code SHA256SUMS}
   * when {@code verifyChecksums} is set and the file exists (a graph not listed in it is logged),
   * then reads the JSON sidecars.
   */
  static ModelFiles resolve(Path dir, boolean verifyChecksums) throws IOException {
    ModelLayout layout = ModelLayout.of(dir);
    Path tokenizer = layout.sidecar("tokenizer.json");
    if (tokenizer == null) {
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
    if (verifyChecksums && Files.isRegularFile(sums)) {
      FileDigests.verify(sums); // before any file is parsed or handed to native code
      Map<String, String> listed = FileDigests.readSums(sums);
      for (Path f : layout.modelFiles()) {
        String rel =
            dir.toAbsolutePath().relativize(f.toAbsolutePath()).toString().replace('\\', '/');
        if (!listed.containsKey(rel))
          LOG.warn("{} is not listed in {}: it was loaded without a pinned checksum.", rel, sums);
      }
    }
    return new ModelFiles(
        dir,
        layout,
        tokenizer,
        json(layout.sidecar("config.json")),
        json(layout.sidecar("open_clip_config.json")));
  }

  /**
   * The image preprocessing: {@code preprocessor_config.json}, else what {@code
   * open_clip_config.json} implies; a model with neither is refused.
   */
  PreprocessorConfig preprocessing() throws IOException {
    Path preFile = layout.sidecar("preprocessor_config.json");
    if (preFile != null) return PreprocessorConfig.read(preFile);
    if (openClip != null) return PreprocessorConfig.fromOpenClip(openClip);
    throw new ModelLayout.LayoutException(
        "The model in "
            + dir.toAbsolutePath()
            + " has neither preprocessor_config.json nor open_clip_config.json, so the image"
            + " size, crop, mean and std are unknown. Expected one of them beside the graphs.");
  }

  /**
   * Tokens per text: {@code graphSequence} when the text graph fixes it (above 0), else what the
   * configs give ({@code text_config.max_position_embeddings} or {@code max_position_embeddings} in
   * config.json, {@code text_cfg.context_length} in OpenCLIP's), else the tokenizer's maximum
   * length ({@code truncation.max_length} in tokenizer.json, {@code model_max_length} in
   * tokenizer_config.json). A graph that takes any length with none of these is refused: guessing
   * CLIP's 77 made the first text fail inside ONNX Runtime.
   */
  int contextLength(long graphSequence) throws IOException {
    if (graphSequence > 0) return Math.toIntExact(graphSequence);
    Integer n = positive(path(config, "text_config", "max_position_embeddings"));
    if (n == null) n = positive(path(config, "max_position_embeddings"));
    if (n == null) n = positive(path(openClip, "model_cfg", "text_cfg", "context_length"));
    if (n == null) n = positive(path(json(tokenizer), "truncation", "max_length"));
    if (n == null)
      n = positive(path(json(layout.sidecar("tokenizer_config.json")), "model_max_length"));
    if (n != null) return n;
    throw new ModelLayout.LayoutException(
        "Can not tell the context length of the model in "
            + dir.toAbsolutePath()
            + ": its text graph "
            + layout.textModel().getFileName()
            + " takes token sequences of any length, and no config.json"
            + " (text_config.max_position_embeddings), open_clip_config.json"
            + " (model_cfg.text_cfg.context_length), tokenizer.json (truncation.max_length) or"
            + " tokenizer_config.json (model_max_length) gives it. Add the model's config.json"
            + " beside the graphs (for CLIP: {\"text_config\": {\"max_position_embeddings\":"
            + " 77}}).");
  }

  /**
   * The pad id {@code tokenizer_config.json} names ({@code pad_token}, as text or as {@code
   * {"content": ...}}) when {@code tokenizer.json} sets no {@code padding} and that token is one of
   * its added tokens (XLM-R's {@code <pad>}, SigLIP's {@code </s>}); else null, and the tokenizer's
   * own rule applies. A pad token that is an ordinary vocabulary entry (some CLIP exports name
   * {@code !}) is left alone: CLIP pads with its end token.
   */
  Long configuredPadId() throws IOException {
    JsonObject tok = json(tokenizer);
    JsonElement padding = tok.get("padding");
    if (padding != null && !padding.isJsonNull()) return null;
    JsonElement pad = path(json(layout.sidecar("tokenizer_config.json")), "pad_token");
    if (pad != null && pad.isJsonObject()) pad = pad.getAsJsonObject().get("content");
    if (pad == null || !pad.isJsonPrimitive() || !tok.has("added_tokens")) return null;
    String content = pad.getAsString();
    for (JsonElement t : tok.getAsJsonArray("added_tokens")) {
      JsonObject o = t.getAsJsonObject();
      if (o.has("content") && content.equals(o.get("content").getAsString()))
        return o.get("id").getAsLong();
    }
    return null;
  }

  /** The element at {@code keys} under {@code root}, or null where any step is missing. */
  private static JsonElement path(JsonObject root, String... keys) {
    JsonElement e = root;
    for (String k : keys) {
      if (e == null || !e.isJsonObject()) return null;
      e = e.getAsJsonObject().get(k);
    }
    return e;
  }

  /** A positive whole number below {@link #NO_LIMIT}, or null. */
  private static Integer positive(JsonElement e) {
    if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) return null;
    double v = e.getAsDouble();
    return v >= 1 && v < NO_LIMIT && v == Math.rint(v) ? (int) v : null;
  }

  /**
   * The embedding dimension the configs give ({@code projection_dim}, OpenCLIP's {@code
   * embed_dim}), or -1.
   */
  long configuredDimension() {
    long d = -1;
    if (config != null && config.has("projection_dim"))
      d = config.get("projection_dim").getAsLong();
    if (d <= 0
        && openClip != null
        && openClip.has("model_cfg")
        && openClip.getAsJsonObject("model_cfg").has("embed_dim")) {
      d = openClip.getAsJsonObject("model_cfg").get("embed_dim").getAsLong();
    }
    return d;
  }

  /**
   * The model's name: {@code name} or {@code _name_or_path} in config.json when it is a short name
   * rather than a path, else the directory's name.
   */
  String modelName() {
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
}
