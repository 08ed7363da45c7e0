package dev.tessera;

import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.collection.VectorCollection;
import dev.tessera.api.spi.Encoders;
import java.nio.file.Path;

/**
 * Where to start: open the encoder of a model directory, then a collection for that model.
 *
 * <pre>{@code
 * try (MultiModalEncoder clip = Tessera.openEncoder(Path.of("models/tiny-clip"));
 *     VectorCollection photos = Tessera.openOrCreate(Path.of("photos.tessera"), "lucene", clip)) {
 *   photos.upsert(Item.text("note-1", "a red circle", clip.embedText("a red circle")));
 *   photos.commit();
 *   List<Hit> hits = photos.search(clip.embedText("a circle"), 10);
 * }
 * }</pre>
 *
 * <p>A facade over {@link Encoders} (the encoder lookup, in the SPI package next to the provider
 * interfaces it loads) and {@link VectorCollection}; both stay the full API. It lives above {@code
 * dev.tessera.api} because it needs the SPI package, which needs the value types, and the packages
 * must not form a cycle.
 */
public final class Tessera {
  private Tessera() {}

  /**
   * Opens the model in {@code modelDirectory} with the first encoder on the class path that
   * recognises it ({@code tessera-encoders-onnx} reads CLIP ONNX exports).
   *
   * @throws dev.tessera.api.TesseraException if the directory is missing or no encoder reads it
   */
  public static MultiModalEncoder openEncoder(Path modelDirectory) {
    return Encoders.open(modelDirectory);
  }

  /**
   * Opens the collection in {@code directory} for {@code encoder}'s model, or creates it there with
   * the store called {@code store} ({@code "lucene"}, {@code "jvector"}, {@code "memory"}: the jar
   * that provides it must be on the class path).
   *
   * @throws dev.tessera.api.FingerprintMismatchException if the collection was made by another
   *     model (reindex it, or use that model)
   */
  public static VectorCollection openOrCreate(
      Path directory, String store, MultiModalEncoder encoder) {
    return VectorCollection.openOrCreate(directory, store, encoder.fingerprint());
  }
}
