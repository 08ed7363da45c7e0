package dev.tessera.api;

/**
 * No store or encoder provider of the requested name is on the class path; the message lists those
 * that are.
 */
public final class UnknownProviderException extends TesseraException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message. */
  public UnknownProviderException(String message) {
    super(message);
  }
}
