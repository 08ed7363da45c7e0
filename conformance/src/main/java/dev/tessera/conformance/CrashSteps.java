package dev.tessera.conformance;

import dev.tessera.api.Embedding;
import dev.tessera.api.Item;
import dev.tessera.api.ModelFingerprint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The commits of the kit's crash test, from the seed: commit {@code b} upserts batch {@code b} of
 * {@link CrashWriter#batch} (new ids), replaces a quarter of batch {@code b - 1} with new vectors
 * and metadata, and deletes a quarter of batch {@code b - 2}; so the state after each commit
 * differs from the one before in adds, replacements and deletes, and the kit knows every state.
 */
final class CrashSteps {
  private CrashSteps() {}

  /** What one commit writes: the upserts (each id once) and the deletes. */
  record Step(List<Item> upserts, List<String> deletes) {}

  /** Commit {@code b}'s writes. */
  static Step step(ModelFingerprint fp, long seed, int b, int batchSize) {
    List<Item> upserts = new ArrayList<>(CrashWriter.batch(fp, seed, b, batchSize));
    if (b >= 1) {
      Random rnd = new Random(seed * 31 + b);
      for (Item old : CrashWriter.batch(fp, seed, b - 1, batchSize).subList(0, batchSize / 4)) {
        float[] v = new float[fp.dimension()];
        for (int d = 0; d < v.length; d++) v[d] = (float) rnd.nextGaussian();
        upserts.add(
            new Item(
                old.id(),
                new Embedding(v, fp, old.modality()),
                Map.of("batch", Integer.toString(b - 1), "replaced in", Integer.toString(b)),
                old.source()));
      }
    }
    List<String> deletes = new ArrayList<>();
    if (b >= 2) {
      List<Item> older = CrashWriter.batch(fp, seed, b - 2, batchSize);
      for (Item it : older.subList(older.size() - batchSize / 4, older.size()))
        deletes.add(it.id());
    }
    return new Step(upserts, deletes);
  }

  /** The state after commit {@code last} ({@code -1}: before the first), by id. */
  static Map<String, Item> stateAfter(ModelFingerprint fp, long seed, int last, int batchSize) {
    Map<String, Item> state = new LinkedHashMap<>();
    for (int b = 0; b <= last; b++) {
      Step s = step(fp, seed, b, batchSize);
      for (Item it : s.upserts()) state.put(it.id(), it);
      s.deletes().forEach(state::remove);
    }
    return state;
  }
}
