package dev.tessera.api;

/** A vector that can not be stored or searched with; subclasses say which rule it broke. */
public class InvalidVectorException extends TesseraException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message that names the record and the fix. */
  public InvalidVectorException(String message) {
    super(message);
  }
}
