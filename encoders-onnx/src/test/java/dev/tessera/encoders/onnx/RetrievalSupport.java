package dev.tessera.encoders.onnx;

import dev.tessera.api.EmbeddingResult;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.Query;
import dev.tessera.api.collection.VectorCollection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Helpers for the end-to-end tests: raw float32 files, tensor differences, retrieval through a
 * collection.
 */
final class RetrievalSupport {
  private RetrievalSupport() {}

  /** Reads a raw little-endian float32 file. */
  static float[] readF32(Path file) throws IOException {
    byte[] b = Files.readAllBytes(file);
    if (b.length % 4 != 0)
      throw new IOException(file + " has " + b.length + " bytes, not a whole number of float32s.");
    float[] out = new float[b.length / 4];
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  static double maxAbsDiff(float[] a, float[] b) {
    if (a.length != b.length)
      throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
    double m = 0;
    for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs((double) a[i] - b[i]));
    return m;
  }

  /**
   * Embeds {@code images} into a new collection on the {@code memory} store in {@code dir},
   * searches it with each caption (images only) and returns recall@1: the share of captions whose
   * best hit is their own image.
   */
  static double recallAt1(
      MultiModalEncoder encoder, List<Path> images, List<String> captions, Path dir) {
    if (images.size() != captions.size())
      throw new IllegalArgumentException("one caption per image");
    try (VectorCollection c = VectorCollection.create(dir, "memory", encoder.fingerprint())) {
      List<EmbeddingResult> embedded = encoder.embedImages(images);
      for (int i = 0; i < images.size(); i++) {
        c.upsert(Item.image("img-" + i, images.get(i).toString(), embedded.get(i).orThrow()));
      }
      c.commit();
      int hits = 0;
      var queries = encoder.embedTexts(captions);
      for (int i = 0; i < captions.size(); i++) {
        List<Hit> top = c.search(Query.of(queries.get(i)).k(1).only(Modality.IMAGE));
        if (!top.isEmpty() && top.get(0).id().equals("img-" + i)) hits++;
      }
      return (double) hits / captions.size();
    }
  }
}
