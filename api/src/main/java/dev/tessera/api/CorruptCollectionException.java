package dev.tessera.api;

/** A collection directory, manifest or store file is damaged, truncated or not Tessera's. */
public final class CorruptCollectionException extends TesseraException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message naming the file and what is wrong with it. */
  public CorruptCollectionException(String message) {
    super(message);
  }

  /** An exception with a message and a cause. */
  public CorruptCollectionException(String message, Throwable cause) {
    super(message, cause);
  }
}
