package dev.tessera.bench.mixed;

import dev.tessera.api.ModelFingerprint;
import java.util.Arrays;

/**
 * A captioned data set for the mixed-collection harness: pair {@code i} is image {@code images[i]}
 * and its caption {@code texts[i]}, both of class {@code classes[i]} (the scene or the cluster),
 * all unit vectors of {@code fingerprint}'s model.
 *
 * @param name what the data set is called in the results (e.g. {@code tiny-clip})
 * @param fingerprint the model the vectors belong to
 * @param images image vectors, one per pair
 * @param texts text vectors, one per pair
 * @param classes class of each pair
 */
public record MixedData(
    String name, ModelFingerprint fingerprint, float[][] images, float[][] texts, int[] classes) {
  /** Checks that the three arrays describe the same pairs. */
  public MixedData {
    if (images.length != texts.length || images.length != classes.length) {
      throw new IllegalArgumentException(
          "images, texts and classes must have one entry per pair, got "
              + images.length
              + ", "
              + texts.length
              + " and "
              + classes.length
              + ".");
    }
  }

  /** Number of pairs. */
  public int size() {
    return images.length;
  }

  /** The first {@code n} pairs. */
  public MixedData prefix(int n) {
    if (n < 1 || n > size()) {
      throw new IllegalArgumentException(
          "A prefix of " + name + " needs 1.." + size() + " pairs, got " + n + ".");
    }
    return new MixedData(
        name,
        fingerprint,
        Arrays.copyOf(images, n),
        Arrays.copyOf(texts, n),
        Arrays.copyOf(classes, n));
  }

  /** Cosine of two unit vectors. */
  static float dot(float[] a, float[] b) {
    float s = 0;
    for (int k = 0; k < a.length; k++) s += a[k] * b[k];
    return s;
  }
}
