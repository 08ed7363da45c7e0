package dev.tessera.encoders.onnx;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Turns an image into the float tensor a CLIP vision tower takes, step for step as Hugging Face's
 * {@code CLIPImageProcessor} does with Pillow, so the same file gives the same numbers in Java and
 * in Python (within about 0.01 after normalization; JPEG decoders differ by a level here and
 * there).
 *
 * <ol>
 *   <li>Decode and convert to 8-bit RGB, EXIF orientation applied, alpha dropped (see {@link
 *       ImageDecoder}).
 *   <li>Resize so the shortest edge equals {@code shortest_edge}; the long edge becomes {@code
 *       int(shortest_edge * long / short)}. The filter is Pillow's (bicubic for CLIP) with its
 *       antialiasing: the kernel widens by the reduction factor; each of the two passes rounds to 8
 *       bits.
 *   <li>Centre crop to {@code crop_size}: offsets {@code (size - crop) // 2} (Hugging Face) or
 *       rounded (OpenCLIP/torchvision); an image smaller than the crop is padded with zeros.
 *   <li>Rescale by {@code rescale_factor} (1/255), then normalize {@code (x - mean) / std} per
 *       channel, in float32.
 *   <li>Lay out channel-first: {@code [3, H, W]}, R plane first.
 * </ol>
 *
 * Thread-safe; one instance serves concurrent callers.
 */
public final class ImagePreprocessor {
  private final PreprocessorConfig config;
  private final ImageDecoder decoder;

  /** A preprocessor for {@code config} with a decoder of the default pixel limit. */
  public ImagePreprocessor(PreprocessorConfig config) {
    this(config, new ImageDecoder());
  }

  /** A preprocessor for {@code config} decoding with {@code decoder}. */
  public ImagePreprocessor(PreprocessorConfig config, ImageDecoder decoder) {
    this.config = Objects.requireNonNull(config, "config");
    this.decoder = Objects.requireNonNull(decoder, "decoder");
  }

  /** The settings applied. */
  public PreprocessorConfig config() {
    return config;
  }

  /** The decoder used for files. */
  public ImageDecoder decoder() {
    return decoder;
  }

  /** A preprocessed image: {@code [3, height, width]} floats, channel-first. */
  public record Tensor(int height, int width, float[] data) {
    /** Checks the length matches the shape. */
    public Tensor {
      if (data.length != 3 * height * width) {
        throw new IllegalArgumentException(
            "A 3x"
                + height
                + "x"
                + width
                + " tensor needs "
                + 3 * height * width
                + " floats, got "
                + data.length);
      }
    }
  }

  /**
   * Decodes {@code file} and preprocesses it; a bad file throws {@link ImageDecodeException} naming
   * it.
   */
  public Tensor preprocess(Path file) {
    ImageDecoder.Interleaved img = decoder.decodeInterleaved(file);
    return preprocess(img.pixels(), img.width(), img.height(), img.bgr());
  }

  /** Preprocesses a decoded image. */
  public Tensor preprocess(RgbImage image) {
    return preprocess(image.pixels(), image.width(), image.height(), false);
  }

  /**
   * Resize, crop and normalize in one go: only the pixels the crop keeps are resampled (each is
   * exactly what the full resize gives there), then turned into floats by a per-channel table.
   */
  private Tensor preprocess(byte[] src, int w, int h, boolean bgr) {
    int nw = w;
    int nh = h;
    if (config.doResize()) {
      if (config.shortestEdge() > 0) {
        int size = config.shortestEdge();
        if (w <= h) {
          nw = size;
          nh = (int) ((double) size * h / w);
        } else {
          nh = size;
          nw = (int) ((double) size * w / h);
        }
      } else {
        nw = config.resizeWidth();
        nh = config.resizeHeight();
      }
      nw = Math.max(nw, 1);
      nh = Math.max(nh, 1);
    }
    int outH = config.doCenterCrop() ? config.cropHeight() : nh;
    int outW = config.doCenterCrop() ? config.cropWidth() : nw;
    int top = 0;
    int left = 0;
    if (config.doCenterCrop()) {
      top = offset(nh, outH);
      left = offset(nw, outW);
    }
    // The part of the resized image inside the crop window (all of it when the image is smaller).
    int rx = Math.max(left, 0);
    int ry = Math.max(top, 0);
    int rw = Math.min(left + outW, nw) - rx;
    int rh = Math.min(top + outH, nh) - ry;
    byte[] px =
        PilResampler.resize(
            src,
            w,
            h,
            3,
            bgr,
            nw,
            nh,
            PilResampler.Filter.ofCode(config.resample()),
            rx,
            ry,
            rw,
            rh);
    float[] scale = new float[256 * 3];
    float[] mean = config.mean();
    float[] std = config.std();
    for (int c = 0; c < 3; c++) {
      for (int v = 0; v < 256; v++) {
        float x = config.doRescale() ? (float) (v * config.rescaleFactor()) : v;
        scale[c * 256 + v] = config.doNormalize() ? (x - mean[c]) / std[c] : x;
      }
    }
    int plane = outH * outW;
    float[] out = new float[3 * plane];
    boolean padded = rw != outW || rh != outH;
    if (padded) {
      // Padding of an image smaller than the crop: zeros in pixel space, like Hugging Face.
      for (int c = 0; c < 3; c++)
        java.util.Arrays.fill(out, c * plane, (c + 1) * plane, scale[c * 256]);
    }
    for (int y = 0; y < rh; y++) {
      int o = (y + ry - top) * outW + (rx - left);
      int p = y * rw * 3;
      for (int x = 0; x < rw; x++, o++, p += 3) {
        out[o] = scale[px[p] & 0xff];
        out[plane + o] = scale[256 + (px[p + 1] & 0xff)];
        out[2 * plane + o] = scale[512 + (px[p + 2] & 0xff)];
      }
    }
    return new Tensor(outH, outW, out);
  }

  /**
   * The first row/column kept by the centre crop; negative when the image is smaller than the crop.
   */
  private int offset(int size, int crop) {
    if (config.roundCropOffset()) {
      return (int) Math.rint((size - crop) / 2.0); // Python round(): half to even
    }
    if (size >= crop) return Math.floorDiv(size - crop, 2);
    // Hugging Face pads first, ceil(shortfall / 2) on the leading side, and keeps the padded image
    // whole.
    return -((crop - size + 1) / 2);
  }
}
