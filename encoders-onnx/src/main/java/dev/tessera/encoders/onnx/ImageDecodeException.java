package dev.tessera.encoders.onnx;

import dev.tessera.api.TesseraException;

/**
 * An image file could not be used: missing, empty, truncated, not an image, or too large to decode
 * safely.
 */
public class ImageDecodeException extends TesseraException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message naming the file. */
  public ImageDecodeException(String message) {
    super(message);
  }

  /** An exception with a message naming the file and its cause. */
  public ImageDecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
