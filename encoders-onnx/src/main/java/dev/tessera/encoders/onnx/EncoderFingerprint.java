package dev.tessera.encoders.onnx;

import dev.tessera.api.FingerprintDigest;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Similarity;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The fingerprint of an opened model: a digest of every graph and external-data file, of the
 * canonical text of {@code tokenizer.json} ({@link CanonicalJson}), of the canonical image and text
 * preprocessing, of the outputs used and of {@link OnnxClipEncoder#PREPROCESSING_VERSION}; cosine
 * over L2-normalized vectors.
 */
final class EncoderFingerprint {
  /** How images are decoded before the preprocessing config applies; part of the digest. */
  static final String DECODING = "decode=exif_transpose,alpha_dropped,cmyk_pil,gray16_clip";

  private EncoderFingerprint() {}

  /** Computes it (file digests are cached by {@link FileDigests}). */
  static ModelFingerprint of(
      ModelFiles files, PreprocessorConfig pre, ClipTokenizer tokenizer, GraphSignature graphs)
      throws IOException {
    FingerprintDigest d =
        FingerprintDigest.create()
            .field("encoder", "dev.tessera.encoders.onnx")
            .field("preprocessing-version", OnnxClipEncoder.PREPROCESSING_VERSION)
            .field("layout", files.layout().kind().name());
    for (Path f : files.layout().modelFiles()) {
      d.field("model-file:" + f.getFileName(), FileDigests.sha256(f));
    }
    // Canonical JSON: re-indenting the file must not force a reindex; every value still counts.
    d.field("tokenizer.json", CanonicalJson.sha256(files.tokenizer()))
        .field("image-preprocessing", pre.canonical() + ";" + DECODING)
        .field("text-preprocessing", tokenizer.canonical())
        .field(
            "outputs",
            "text="
                + graphs.text().output()
                + ";image="
                + graphs.vision().output()
                + ";l2_normalized");
    return ModelFingerprint.of(
        files.modelName(), graphs.dimension(), Similarity.COSINE, true, d.hex());
  }
}
