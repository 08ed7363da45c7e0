package dev.tessera.api;

/**
 * A vector, query or encoder comes from another model than the collection's. The message names both
 * fingerprints and the fix: embed with the collection's model, or reindex the collection.
 */
public final class FingerprintMismatchException extends TesseraException {
  private static final long serialVersionUID = 1L;
  private final transient ModelFingerprint expected;
  private final transient ModelFingerprint actual;

  /**
   * @param what what was refused, e.g. "write of record 'cat.jpg'", "query", "open with encoder"
   * @param expected the collection's fingerprint
   * @param actual the fingerprint that came in
   */
  public FingerprintMismatchException(
      String what, ModelFingerprint expected, ModelFingerprint actual) {
    super(message(what, expected, actual));
    this.expected = expected;
    this.actual = actual;
  }

  /** The collection's fingerprint. */
  public ModelFingerprint expected() {
    return expected;
  }

  /** The fingerprint that was refused. */
  public ModelFingerprint actual() {
    return actual;
  }

  /** The message this exception carries for these arguments, for tools and tests that check it. */
  public static String message(String what, ModelFingerprint expected, ModelFingerprint actual) {
    StringBuilder why = new StringBuilder();
    if (expected.dimension() != actual.dimension()) why.append(" dimension differs;");
    if (expected.similarity() != actual.similarity()) why.append(" similarity differs;");
    if (!expected.digest().equals(actual.digest())) why.append(" model digest differs;");
    return "Model fingerprint mismatch on "
        + what
        + ":"
        + why.substring(0, why.length() - 1)
        + ". "
        + "The collection was built with "
        + expected
        + " but this comes from "
        + actual
        + ". "
        + "Vectors of different models must never be mixed: embed with the collection's model, "
        + "or reindex the collection with the new model (tessera reindex --model ...).";
  }
}
