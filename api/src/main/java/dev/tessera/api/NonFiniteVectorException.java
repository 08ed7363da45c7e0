package dev.tessera.api;

/** The vector holds NaN or an infinity. */
public final class NonFiniteVectorException extends InvalidVectorException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message. */
  public NonFiniteVectorException(String message) {
    super(message);
  }
}
