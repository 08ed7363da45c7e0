package dev.tessera.api;

/** The vector is all zeros, which has no direction under cosine similarity. */
public final class ZeroVectorException extends InvalidVectorException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message. */
  public ZeroVectorException(String message) {
    super(message);
  }
}
