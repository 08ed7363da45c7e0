package dev.tessera.encoders.onnx;

import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.spi.EncoderProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code onnx} encoder provider: CLIP exports (Hugging Face split or combined, OpenCLIP) on
 * ONNX Runtime.
 */
public final class OnnxEncoderProvider implements EncoderProvider {
  /** The provider name users choose it by. */
  public static final String NAME = "onnx";

  /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
  public OnnxEncoderProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "CLIP on ONNX Runtime: text_model.onnx + vision_model.onnx, textual.onnx + visual.onnx,"
        + " or model.onnx, with tokenizer.json";
  }

  @Override
  public boolean canOpen(Path modelDirectory) {
    return ModelLayout.looksLike(modelDirectory);
  }

  /** What {@link ModelLayout#of} finds missing: the files found and the layouts expected. */
  @Override
  public Optional<String> whyNot(Path modelDirectory) {
    if (ModelLayout.looksLike(modelDirectory)) return Optional.empty();
    try {
      ModelLayout.of(modelDirectory);
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * Opens the model; options: {@code batch_size}, {@code intra_op_threads}, {@code
   * max_image_pixels}, {@code verify_checksums}.
   */
  @Override
  public MultiModalEncoder open(Path modelDirectory, Map<String, String> options)
      throws IOException {
    return OnnxClipEncoder.open(modelDirectory, EncoderOptions.parse(options));
  }
}
