package dev.tessera.encoders.onnx;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The image preprocessing settings of a CLIP model, as in a Hugging Face {@code
 * preprocessor_config.json} (CLIPImageProcessor).
 *
 * @param shortestEdge resize so the shorter side has this length (the longer side keeps the aspect
 *     ratio, truncated); 0 with {@code resizeHeight}/{@code resizeWidth} set resizes to that exact
 *     size
 * @param resizeHeight exact resize height, used only when {@code shortestEdge} is 0
 * @param resizeWidth exact resize width, used only when {@code shortestEdge} is 0
 * @param doResize whether to resize at all
 * @param cropHeight centre crop height
 * @param cropWidth centre crop width
 * @param doCenterCrop whether to centre crop
 * @param roundCropOffset crop offsets rounded like torchvision (OpenCLIP) instead of floored like
 *     Hugging Face
 * @param doRescale whether to multiply 8-bit values by {@code rescaleFactor}
 * @param rescaleFactor usually 1/255
 * @param doNormalize whether to subtract {@code mean} and divide by {@code std}
 * @param mean per-channel mean (R, G, B)
 * @param std per-channel standard deviation (R, G, B)
 * @param resample Pillow's filter code: 3 bicubic (CLIP), 2 bilinear, 1 lanczos, 4 box, 5 hamming
 * @param doConvertRgb whether images are converted to RGB (always true in practice; kept for the
 *     fingerprint)
 */
public record PreprocessorConfig(
    int shortestEdge,
    int resizeHeight,
    int resizeWidth,
    boolean doResize,
    int cropHeight,
    int cropWidth,
    boolean doCenterCrop,
    boolean roundCropOffset,
    boolean doRescale,
    double rescaleFactor,
    boolean doNormalize,
    float[] mean,
    float[] std,
    int resample,
    boolean doConvertRgb) {

  /** The mean of OpenAI CLIP's training images. */
  public static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};

  /** The standard deviation of OpenAI CLIP's training images. */
  public static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};

  /** Validates sizes, the filter and the three-channel mean and std. */
  public PreprocessorConfig {
    if (doResize && shortestEdge <= 0 && (resizeHeight <= 0 || resizeWidth <= 0)) {
      throw new IllegalArgumentException(
          "Resize needs a positive shortest edge or a height and width; got shortest_edge="
              + shortestEdge
              + ", height="
              + resizeHeight
              + ", width="
              + resizeWidth
              + ".");
    }
    if (doCenterCrop && (cropHeight <= 0 || cropWidth <= 0)) {
      throw new IllegalArgumentException(
          "Centre crop needs a positive size, got " + cropHeight + "x" + cropWidth + ".");
    }
    if (mean == null || mean.length != 3 || std == null || std.length != 3) {
      throw new IllegalArgumentException(
          "image_mean and image_std need three values (R, G, B), got "
              + Arrays.toString(mean)
              + " and "
              + Arrays.toString(std)
              + ".");
    }
    for (float s : std) {
      if (!(s > 0))
        throw new IllegalArgumentException(
            "image_std values must be positive, got " + Arrays.toString(std) + ".");
    }
    PilResampler.Filter.ofCode(resample);
    mean = mean.clone();
    std = std.clone();
  }

  /**
   * OpenAI CLIP ViT-B/32's settings: shortest edge 224, centre crop 224, bicubic, CLIP mean and
   * std.
   */
  public static PreprocessorConfig clipDefaults(int size) {
    return new PreprocessorConfig(
        size,
        0,
        0,
        true,
        size,
        size,
        true,
        false,
        true,
        1.0 / 255.0,
        true,
        CLIP_MEAN,
        CLIP_STD,
        3,
        true);
  }

  /**
   * Reads a Hugging Face {@code preprocessor_config.json}; missing keys take CLIPImageProcessor's
   * defaults, except that an exact {@code size} ({@code height}, {@code width}) without {@code
   * crop_size} means no centre crop (SiglipImageProcessor's form: it resizes to the square and
   * crops nothing).
   */
  public static PreprocessorConfig read(Path file) throws IOException {
    JsonObject o;
    try {
      o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    } catch (RuntimeException e) {
      throw new IOException(
          "Preprocessor config " + file + " is not a JSON object: " + e.getMessage(), e);
    }
    try {
      return fromJson(o);
    } catch (RuntimeException e) {
      throw new IOException("Preprocessor config " + file + " is not usable: " + e.getMessage(), e);
    }
  }

  static PreprocessorConfig fromJson(JsonObject o) {
    int shortest = 224;
    int rh = 0;
    int rw = 0;
    JsonElement size = o.get("size");
    if (size != null && size.isJsonPrimitive()) {
      shortest = size.getAsInt();
    } else if (size != null && size.isJsonObject()) {
      JsonObject s = size.getAsJsonObject();
      if (s.has("shortest_edge")) {
        shortest = s.get("shortest_edge").getAsInt();
      } else if (s.has("height") && s.has("width")) {
        shortest = 0;
        rh = s.get("height").getAsInt();
        rw = s.get("width").getAsInt();
      } else {
        throw new IllegalArgumentException(
            "'size' must hold shortest_edge, or height and width; found " + s.keySet() + ".");
      }
    }
    int ch = 224;
    int cw = 224;
    JsonElement crop = o.get("crop_size");
    if (crop != null && crop.isJsonPrimitive()) {
      ch = cw = crop.getAsInt();
    } else if (crop != null && crop.isJsonObject()) {
      ch = crop.getAsJsonObject().get("height").getAsInt();
      cw = crop.getAsJsonObject().get("width").getAsInt();
    } else if (crop == null && shortest > 0) {
      ch = cw = shortest;
    } else if (crop == null) {
      // An exact resize and no crop_size, as SiglipImageProcessor writes it: that processor has
      // no centre crop at all, so the resized image is the input.
      ch = rh;
      cw = rw;
    }
    boolean cropByDefault = crop != null || shortest > 0;
    return new PreprocessorConfig(
        shortest,
        rh,
        rw,
        bool(o, "do_resize", true),
        ch,
        cw,
        bool(o, "do_center_crop", cropByDefault),
        false,
        bool(o, "do_rescale", true),
        o.has("rescale_factor") ? o.get("rescale_factor").getAsDouble() : 1.0 / 255.0,
        bool(o, "do_normalize", true),
        floats(o, "image_mean", CLIP_MEAN),
        floats(o, "image_std", CLIP_STD),
        o.has("resample") ? o.get("resample").getAsInt() : 3,
        bool(o, "do_convert_rgb", true));
  }

  /** Settings from an OpenCLIP {@code open_clip_config.json} (torchvision-style centre crop). */
  static PreprocessorConfig fromOpenClip(JsonObject config) {
    int imageSize = 224;
    JsonObject model =
        config.has("model_cfg") ? config.getAsJsonObject("model_cfg") : new JsonObject();
    if (model.has("vision_cfg") && model.getAsJsonObject("vision_cfg").has("image_size")) {
      JsonElement s = model.getAsJsonObject("vision_cfg").get("image_size");
      imageSize = s.isJsonArray() ? s.getAsJsonArray().get(0).getAsInt() : s.getAsInt();
    }
    JsonObject pre =
        config.has("preprocess_cfg") ? config.getAsJsonObject("preprocess_cfg") : new JsonObject();
    String interpolation =
        pre.has("interpolation")
            ? pre.get("interpolation").getAsString().toLowerCase(Locale.ROOT)
            : "bicubic";
    int resample =
        switch (interpolation) {
          case "bicubic" -> 3;
          case "bilinear" -> 2;
          case "lanczos" -> 1;
          default ->
              throw new IllegalArgumentException(
                  "OpenCLIP interpolation '"
                      + interpolation
                      + "' is not supported (bicubic, bilinear, lanczos).");
        };
    return new PreprocessorConfig(
        imageSize,
        0,
        0,
        true,
        imageSize,
        imageSize,
        true,
        true,
        true,
        1.0 / 255.0,
        true,
        floats(pre, "mean", CLIP_MEAN),
        floats(pre, "std", CLIP_STD),
        resample,
        true);
  }

  /** One text form of every setting, for the fingerprint: equal settings give equal text. */
  public String canonical() {
    return "resize="
        + (doResize
            ? (shortestEdge > 0
                ? "shortest_edge:" + shortestEdge
                : "exact:" + resizeHeight + "x" + resizeWidth)
            : "none")
        + ";resample="
        + PilResampler.Filter.ofCode(resample).name().toLowerCase(Locale.ROOT)
        + ";crop="
        + (doCenterCrop
            ? cropHeight + "x" + cropWidth + (roundCropOffset ? ":round" : ":floor")
            : "none")
        + ";rescale="
        + (doRescale ? Double.toString(rescaleFactor) : "none")
        + ";normalize="
        + (doNormalize ? "mean:" + Arrays.toString(mean) + ",std:" + Arrays.toString(std) : "none")
        + ";convert_rgb="
        + doConvertRgb;
  }

  /** Height of the tensor {@link ImagePreprocessor} produces. */
  public int outputHeight() {
    return doCenterCrop ? cropHeight : (shortestEdge > 0 ? -1 : resizeHeight);
  }

  /** Width of the tensor {@link ImagePreprocessor} produces. */
  public int outputWidth() {
    return doCenterCrop ? cropWidth : (shortestEdge > 0 ? -1 : resizeWidth);
  }

  /** The mean, copied. */
  @Override
  public float[] mean() {
    return mean.clone();
  }

  /** The standard deviation, copied. */
  @Override
  public float[] std() {
    return std.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PreprocessorConfig p && p.canonical().equals(canonical());
  }

  @Override
  public int hashCode() {
    return canonical().hashCode();
  }

  @Override
  public String toString() {
    return "PreprocessorConfig[" + canonical() + "]";
  }

  private static boolean bool(JsonObject o, String key, boolean dflt) {
    return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsBoolean() : dflt;
  }

  private static float[] floats(JsonObject o, String key, float[] dflt) {
    if (!o.has(key) || o.get(key).isJsonNull()) return dflt.clone();
    JsonElement e = o.get(key);
    if (e.isJsonPrimitive()) {
      float v = e.getAsFloat();
      return new float[] {v, v, v};
    }
    JsonArray a = e.getAsJsonArray();
    float[] out = new float[a.size()];
    for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsFloat();
    return out;
  }
}
