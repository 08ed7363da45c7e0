package dev.tessera.api;

/**
 * A collection, store or encoder was used after {@code close()}; closing twice is harmless and does
 * not throw.
 */
public final class ClosedException extends TesseraException {
  private static final long serialVersionUID = 1L;

  /** An exception naming what was closed. */
  public ClosedException(String what) {
    super(what + " is closed; open it again to use it.");
  }
}
