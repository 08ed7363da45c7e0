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

  /** The context length when neither the graph nor a config fixes it: CLIP's. */
  static final int DEFAULT_CONTEXT_LENGTH = 77;

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
   * The context length the configs give ({@code text_config.max_position_embeddings} or {@code
   * max_position_embeddings} in config.json, {@code text_cfg.context_length} in OpenCLIP's), else
   * {@link #DEFAULT_CONTEXT_LENGTH}.
   */
  int configuredContextLength() {
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
    return DEFAULT_CONTEXT_LENGTH;
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
