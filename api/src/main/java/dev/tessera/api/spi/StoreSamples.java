package dev.tessera.api.spi;

import dev.tessera.api.Modality;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Ways for stores to draw {@link VectorStore#sample} vectors. */
public final class StoreSamples {
  private StoreSamples() {}

  /**
   * A sample by one scan over {@link VectorStore#forEach}: reservoir sampling with a fixed seed, so
   * the same records in the same order give the same sample.
   */
  public static List<float[]> byScan(VectorStore store, Modality modality, int n)
      throws IOException {
    if (n < 1) return List.of();
    List<float[]> reservoir = new ArrayList<>(n);
    SplittableRandom random = new SplittableRandom(0x5EED);
    long[] seen = {0};
    store.forEach(
        item -> {
          if (item.modality() != modality) return;
          long i = seen[0]++;
          if (i < n) {
            reservoir.add(item.embedding().vector());
          } else {
            long j = random.nextLong(i + 1);
            if (j < n) reservoir.set((int) j, item.embedding().vector());
          }
        });
    return reservoir;
  }

  /**
   * Positions {@code 0..count-1} to sample so that {@code n} of them are evenly spaced (all of them
   * when {@code count <= n}), for stores that can read a record by position.
   */
  public static long[] evenlySpaced(long count, int n) {
    int m = (int) Math.min(count, Math.max(0, n));
    long[] out = new long[m];
    for (int i = 0; i < m; i++) out[i] = (long) ((i + 0.5) * count / m);
    return out;
  }
}
