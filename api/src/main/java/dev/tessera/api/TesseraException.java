package dev.tessera.api;

/**
 * Base of every exception Tessera throws on purpose; its message says what was wrong and what to
 * do.
 */
public class TesseraException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message. */
  public TesseraException(String message) {
    super(message);
  }

  /** An exception with a message and a cause. */
  public TesseraException(String message, Throwable cause) {
    super(message, cause);
  }
}
