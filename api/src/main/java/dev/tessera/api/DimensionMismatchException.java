package dev.tessera.api;

/** The vector's length differs from the fingerprint's dimension. */
public final class DimensionMismatchException extends InvalidVectorException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message. */
  public DimensionMismatchException(String message) {
    super(message);
  }
}
