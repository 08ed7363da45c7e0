package dev.tessera.index.jvector;

import dev.tessera.api.Embedding;
import dev.tessera.api.Item;
import dev.tessera.api.Metadata;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Similarity;
import dev.tessera.api.Source;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The committed on-disk fixture {@code src/test/resources/format-fixtures/v2-pq}: a small store in
 * the jvector file format (records v2 with typed metadata, vectors v1, two graphs, PQ, a deleted
 * and a replaced record), written by the code before {@code JVectorStore} was split. {@link #write}
 * rebuilds it; {@link #items} are the records it holds.
 */
final class FormatFixture {
  static final String NAME = "v2-pq";
  static final ModelFingerprint FP =
      ModelFingerprint.declared("test/fixture", 16, Similarity.COSINE, false, "f1");
  static final Map<String, String> SETTINGS = Map.of("pq-subspaces", "4", "max-degree", "8");
  static final int COUNT = 1200;

  private FormatFixture() {}

  /** The records as first upserted; {@code r5} is deleted and {@code r7} replaced afterwards. */
  static List<Item> items() {
    Random r = new Random(20261202L);
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < COUNT; i++) items.add(item("r" + i, r, i));
    return items;
  }

  /** The replacement of {@code r7}. */
  static Item replacement() {
    return item("r7", new Random(7), 7000);
  }

  private static Item item(String id, Random r, int i) {
    float[] v = new float[FP.dimension()];
    for (int d = 0; d < v.length; d++) v[d] = (float) r.nextGaussian();
    Modality m = i % 3 == 0 ? Modality.IMAGE : Modality.TEXT;
    Metadata meta =
        Metadata.of("bucket", "b" + (i % 10))
            .with("n", (long) i)
            .with("w", i / 8.0)
            .with("even", i % 2 == 0);
    Source source = m == Modality.IMAGE ? Source.image("img/" + id + ".png") : Source.text(id);
    return new Item(id, new Embedding(v, FP, m), meta, source);
  }

  /** Writes the fixture into the empty folder {@code dir}: two commits, so generation 2. */
  static void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    JVectorStoreProvider provider = new JVectorStoreProvider();
    try (VectorStore s = provider.create(new StoreContext(dir, SETTINGS, false), FP)) {
      List<Item> items = items();
      for (int i = 0; i < items.size(); i += 50) {
        s.upsert(items.subList(i, Math.min(items.size(), i + 50)));
      }
      s.commit();
      s.delete(List.of("r5"));
      s.upsert(List.of(replacement()));
      s.commit();
    }
  }
}
