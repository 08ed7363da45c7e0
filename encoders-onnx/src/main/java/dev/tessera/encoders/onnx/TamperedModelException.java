package dev.tessera.encoders.onnx;

import java.io.IOException;

/**
 * A model file does not match the checksum pinned for it in {@code SHA256SUMS}; the model was not
 * loaded.
 */
public final class TamperedModelException extends IOException {
  private static final long serialVersionUID = 1L;

  /** An exception whose message names each file with its expected and actual digest. */
  public TamperedModelException(String message) {
    super(message);
  }
}
