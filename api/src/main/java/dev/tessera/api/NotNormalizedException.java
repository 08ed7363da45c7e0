package dev.tessera.api;

/** The fingerprint promises unit-length vectors and this one is not. */
public final class NotNormalizedException extends InvalidVectorException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message. */
  public NotNormalizedException(String message) {
    super(message);
  }
}
