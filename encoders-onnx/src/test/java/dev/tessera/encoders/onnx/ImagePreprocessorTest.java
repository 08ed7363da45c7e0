package dev.tessera.encoders.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The preprocessor resamples only the pixels its crop keeps and reads the decoder's BGR buffer as
 * it is: checked against the plain order (resize the whole image, crop, normalize) written here.
 */
class ImagePreprocessorTest {
  @TempDir Path tmp;

  @Test
  void should_equal_a_full_resize_then_crop_for_landscape_portrait_small_and_uncropped_images()
      throws IOException {
    Random rnd = new Random(11);
    List<PreprocessorConfig> configs = new ArrayList<>();
    configs.add(PreprocessorConfig.clipDefaults(32));
    // OpenCLIP's rounded offsets; an exact size without a crop (SigLIP); a crop larger than the
    // resized image (padding); no resize at all.
    configs.add(config(32, 0, 0, true, 32, 32, true, true));
    configs.add(config(0, 20, 36, true, 0, 0, false, false));
    configs.add(config(0, 20, 36, true, 30, 40, true, false));
    configs.add(config(0, 0, 0, false, 16, 16, true, false));
    int checked = 0;
    for (int[] size : new int[][] {{181, 67}, {67, 181}, {40, 40}, {9, 120}, {33, 31}}) {
      BufferedImage img = new BufferedImage(size[0], size[1], BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < size[1]; y++)
        for (int x = 0; x < size[0]; x++) img.setRGB(x, y, rnd.nextInt(1 << 24));
      for (String fmt : new String[] {"png", "jpeg"}) {
        Path f = tmp.resolve(size[0] + "x" + size[1] + "." + fmt);
        ImageIO.write(img, fmt, f.toFile());
        for (PreprocessorConfig cfg : configs) {
          ImagePreprocessor pre = new ImagePreprocessor(cfg);
          float[] expected = reference(cfg, pre.decoder().decode(f));
          assertThat(pre.preprocess(f).data())
              .as("%s %s", f.getFileName(), cfg)
              .isEqualTo(expected);
          assertThat(pre.preprocess(pre.decoder().decode(f)).data()).isEqualTo(expected);
          checked++;
        }
      }
    }
    assertThat(checked).isEqualTo(5 * 2 * 5);
  }

  private static PreprocessorConfig config(
      int edge, int rh, int rw, boolean resize, int ch, int cw, boolean crop, boolean round) {
    return new PreprocessorConfig(
        edge,
        rh,
        rw,
        resize,
        ch,
        cw,
        crop,
        round,
        true,
        1.0 / 255.0,
        true,
        PreprocessorConfig.CLIP_MEAN,
        PreprocessorConfig.CLIP_STD,
        3,
        true);
  }

  /** Resize the whole image, then crop (zero-padded), then rescale and normalize per pixel. */
  private static float[] reference(PreprocessorConfig cfg, RgbImage img) {
    int w = img.width();
    int h = img.height();
    byte[] px = img.pixels();
    if (cfg.doResize()) {
      int nw;
      int nh;
      if (cfg.shortestEdge() > 0) {
        nw = w <= h ? cfg.shortestEdge() : (int) ((double) cfg.shortestEdge() * w / h);
        nh = w <= h ? (int) ((double) cfg.shortestEdge() * h / w) : cfg.shortestEdge();
      } else {
        nw = cfg.resizeWidth();
        nh = cfg.resizeHeight();
      }
      px = PilResampler.resize(px, w, h, 3, nw, nh, PilResampler.Filter.ofCode(cfg.resample()));
      w = nw;
      h = nh;
    }
    int oh = cfg.doCenterCrop() ? cfg.cropHeight() : h;
    int ow = cfg.doCenterCrop() ? cfg.cropWidth() : w;
    int top = cfg.doCenterCrop() ? offset(cfg, h, oh) : 0;
    int left = cfg.doCenterCrop() ? offset(cfg, w, ow) : 0;
    float[] out = new float[3 * oh * ow];
    for (int ch = 0; ch < 3; ch++) {
      for (int y = 0; y < oh; y++) {
        for (int x = 0; x < ow; x++) {
          int sy = y + top;
          int sx = x + left;
          int v = sy < 0 || sy >= h || sx < 0 || sx >= w ? 0 : px[(sy * w + sx) * 3 + ch] & 0xff;
          float r = (float) (v * cfg.rescaleFactor());
          out[ch * oh * ow + y * ow + x] = (r - cfg.mean()[ch]) / cfg.std()[ch];
        }
      }
    }
    return out;
  }

  private static int offset(PreprocessorConfig cfg, int size, int crop) {
    if (cfg.roundCropOffset()) return (int) Math.rint((size - crop) / 2.0);
    if (size >= crop) return Math.floorDiv(size - crop, 2);
    return -((crop - size + 1) / 2);
  }
}
