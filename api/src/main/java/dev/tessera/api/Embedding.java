package dev.tessera.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * A vector together with the fingerprint of the model that made it and the modality it was made
 * from. Immutable: the array is copied on the way in and on the way out.
 *
 * <p>The constructor checks only what is structural (non-null, non-empty). Whether the vector fits
 * its fingerprint — dimension, finite values, non-zero under cosine, unit length where promised —
 * is checked at the gate of every collection write and query, see {@link VectorValidator}.
 */
public final class Embedding {
  private final float[] vector;
  private final ModelFingerprint fingerprint;
  private final Modality modality;

  /** An embedding; {@code vector} is copied. */
  public Embedding(float[] vector, ModelFingerprint fingerprint, Modality modality) {
    Objects.requireNonNull(vector, "vector");
    this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
    this.modality = Objects.requireNonNull(modality, "modality");
    if (vector.length == 0) {
      throw new IllegalArgumentException("An embedding vector must not be empty.");
    }
    this.vector = vector.clone();
  }

  /** A text embedding; {@code vector} is copied. */
  public static Embedding text(float[] vector, ModelFingerprint fingerprint) {
    return new Embedding(vector, fingerprint, Modality.TEXT);
  }

  /** An image embedding; {@code vector} is copied. */
  public static Embedding image(float[] vector, ModelFingerprint fingerprint) {
    return new Embedding(vector, fingerprint, Modality.IMAGE);
  }

  /** A copy of the vector. */
  public float[] vector() {
    return vector.clone();
  }

  /** Component {@code i} of the vector. */
  public float get(int i) {
    return vector[i];
  }

  /** Vector length. */
  public int dimension() {
    return vector.length;
  }

  /** Which model made this vector. */
  public ModelFingerprint fingerprint() {
    return fingerprint;
  }

  /** What the vector was made from. */
  public Modality modality() {
    return modality;
  }

  /** Package-private view without a copy, for the gate and the kernels in this module. */
  float[] array() {
    return vector;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Embedding e
        && e.modality == modality
        && e.fingerprint.equals(fingerprint)
        && Arrays.equals(e.vector, vector);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(vector) + fingerprint.hashCode()) + modality.hashCode();
  }

  @Override
  public String toString() {
    return "Embedding[" + modality.id() + ", " + vector.length + "-d, " + fingerprint + "]";
  }
}
