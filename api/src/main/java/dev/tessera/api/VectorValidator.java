package dev.tessera.api;

/**
 * The gate every vector passes before a collection stores it or searches with it: the fingerprint
 * must equal the collection's, and the vector must have the fingerprint's dimension, finite
 * components, a non-zero length under cosine, and unit length (within {@value #NORM_TOLERANCE})
 * where the fingerprint promises normalized vectors.
 *
 * <p>The unit-length tolerance is on the norm itself: {@code |‖v‖ − 1| ≤ 0.001}. float32 encoders
 * that normalize land within about 1e-6; 0.001 accepts vectors that went through a lossy round trip
 * (half precision, text serialization) and still catches vectors that were never normalized.
 */
public final class VectorValidator {
  /** Allowed distance of the norm from 1 where the fingerprint promises normalized vectors. */
  public static final double NORM_TOLERANCE = 1e-3;

  private VectorValidator() {}

  /**
   * Checks {@code embedding} against the collection fingerprint {@code expected}.
   *
   * @param what what is being checked, for the message, e.g. {@code record 'cat.jpg'} or {@code
   *     query}
   * @throws FingerprintMismatchException if the embedding comes from another model
   * @throws InvalidVectorException (a subclass naming the rule) if the vector breaks a rule
   */
  public static void check(ModelFingerprint expected, Embedding embedding, String what) {
    if (!expected.equals(embedding.fingerprint())) {
      throw new FingerprintMismatchException(what, expected, embedding.fingerprint());
    }
    checkVector(expected, embedding.array(), what);
  }

  /** Checks a bare vector against {@code fingerprint}'s rules; see {@link #check}. */
  public static void checkVector(ModelFingerprint fingerprint, float[] v, String what) {
    if (v.length != fingerprint.dimension()) {
      throw new DimensionMismatchException(
          capitalize(what)
              + ": the vector has "
              + v.length
              + " dimensions but the collection's model "
              + fingerprint
              + " makes "
              + fingerprint.dimension()
              + "-d vectors. Embed with that model.");
    }
    double sum = 0;
    for (int i = 0; i < v.length; i++) {
      float x = v[i];
      if (!Float.isFinite(x)) {
        throw new NonFiniteVectorException(
            capitalize(what)
                + ": component "
                + i
                + " of the vector is "
                + x
                + "; vectors must be finite. Check the encoder's input and output for this item.");
      }
      sum += (double) x * x;
    }
    double norm = Math.sqrt(sum);
    if (norm == 0 && fingerprint.similarity() == Similarity.COSINE) {
      throw new ZeroVectorException(
          capitalize(what)
              + ": the vector is all zeros, which has no direction under cosine similarity. "
              + "Leave the item out or fix what produced it.");
    }
    if (fingerprint.normalized() && Math.abs(norm - 1.0) > NORM_TOLERANCE) {
      throw new NotNormalizedException(
          capitalize(what)
              + ": the vector's L2 norm is "
              + (float) norm
              + " but the model "
              + fingerprint
              + " promises normalized vectors (norm 1 ± "
              + NORM_TOLERANCE
              + "). "
              + "Divide the vector by its norm, or describe the model with normalized=false.");
    }
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
