package dev.tessera.api.collection;

import dev.tessera.api.Embedding;
import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Modality;
import dev.tessera.api.Similarity;
import dev.tessera.api.search.QueryScorer;
import dev.tessera.api.spi.VectorStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ranks both modalities of a collection on one scale for a search that spans both (the modality
 * gap: raw CLIP similarities put a text query's texts far above its images).
 *
 * <p>For each modality it asks the store for that modality's own top k (the store's ANN search, so
 * nothing is scanned), and scores the query against a sample of that modality's vectors that the
 * store provides ({@link VectorStore#sample}). A hit's rank score is how many standard deviations
 * its similarity stands above the query's mean similarity to its modality, plus {@value
 * #CROSS_MODAL_PRIOR} for the other modality than the query's. Within one modality the order is the
 * similarity order, so modality-filtered results and same-modality quality do not change.
 *
 * <p>Why these choices (measured on the 400-picture demo collection, each caption as a query, its
 * own record left in the collection): raw similarity put the caption's own picture in the top 5 for
 * 7.7% of queries and first for none; the z-score alone for 91.7% and 27% (the own picture and the
 * identical caption stand out about equally, z ≈ 3.2 and 3.3); with the prior of half a standard
 * deviation, 100% and 63% (the ceiling: duplicate captions make the own picture the best picture
 * for 63.5% of queries) while 97% of the top-5 lists still mix both modalities. A larger prior
 * stops mixing (at 1.0, 29% mixed). Samples of 64 gave almost the same numbers as all 400.
 */
final class MixedRanking {
  /** Sample vectors per modality. */
  static final int SAMPLE = 256;

  /** Fewest sampled records of each modality for calibration; below it the raw order is used. */
  static final int MIN_SAMPLE = 8;

  /** Standard deviations added to hits of the modality the query is not. */
  static final float CROSS_MODAL_PRIOR = 0.5f;

  private static final double MIN_SD = 1e-4;

  private final Similarity similarity;
  private final AtomicLong writes = new AtomicLong();
  private volatile Samples samples;

  MixedRanking(Similarity similarity) {
    this.similarity = similarity;
  }

  /** Records that {@code n} records were written or deleted, so the sample may be stale. */
  void wrote(int n) {
    writes.addAndGet(n);
  }

  /** The best {@code k} of {@code filter} for {@code query}, ranked as the class comment says. */
  List<Hit> search(VectorStore store, Embedding query, int k, Filter filter) throws IOException {
    Samples s = samples(store);
    float[] q = query.vector();
    if (!s.calibrates()) return store.search(q, k, filter);
    QueryScorer scorer = QueryScorer.of(similarity, q);
    List<Hit> all = new ArrayList<>();
    for (Modality m : filter.modalities()) {
      float[] stats = s.stats(scorer, m);
      float prior = m == query.modality() ? 0f : CROSS_MODAL_PRIOR;
      for (Hit h : store.search(q, k, filter.only(m))) {
        float z = (h.score() - stats[0]) / stats[1] + prior;
        all.add(h.rankedBy(Hit.Ranking.CALIBRATED, z));
      }
    }
    all.sort(Hit.ORDER);
    return all.size() > k ? new ArrayList<>(all.subList(0, k)) : all;
  }

  private Samples samples(VectorStore store) throws IOException {
    Samples s = samples;
    long w = writes.get();
    if (s != null && !s.stale(w)) return s;
    synchronized (this) {
      s = samples;
      w = writes.get();
      if (s != null && !s.stale(w)) return s;
      Map<Modality, float[][]> byModality = new EnumMap<>(Modality.class);
      for (Modality m : Modality.values()) {
        byModality.put(m, store.sample(m, SAMPLE).toArray(new float[0][]));
      }
      s = new Samples(byModality, w);
      samples = s;
      return s;
    }
  }

  /** Sampled vectors per modality, as taken after {@code writesAt} writes. */
  private static final class Samples {
    final Map<Modality, float[][]> rows;
    final Map<Modality, float[]> norms = new EnumMap<>(Modality.class);
    final long writesAt;
    final int total;

    Samples(Map<Modality, float[][]> rows, long writesAt) {
      this.rows = rows;
      this.writesAt = writesAt;
      int t = 0;
      for (Map.Entry<Modality, float[][]> e : rows.entrySet()) {
        float[] n = new float[e.getValue().length];
        for (int i = 0; i < n.length; i++) n[i] = QueryScorer.norm(e.getValue()[i]);
        norms.put(e.getKey(), n);
        t += n.length;
      }
      this.total = t;
    }

    /**
     * Resampled once writes since sampling reach 5% of the sample's records, or any while small.
     */
    boolean stale(long writesNow) {
      long since = writesNow - writesAt;
      if (since == 0) return false;
      return total < 2 * SAMPLE || since * 20 >= total;
    }

    boolean calibrates() {
      for (float[][] r : rows.values()) {
        if (r.length < MIN_SAMPLE) return false;
      }
      return true;
    }

    /** Mean and standard deviation of the query's scores against modality {@code m}'s sample. */
    float[] stats(QueryScorer scorer, Modality m) {
      float[][] r = rows.get(m);
      float[] n = norms.get(m);
      double sum = 0;
      double sq = 0;
      for (int i = 0; i < r.length; i++) {
        double v = scorer.score(r[i], n[i]);
        sum += v;
        sq += v * v;
      }
      double mean = sum / r.length;
      double var = Math.max(0, sq / r.length - mean * mean);
      return new float[] {(float) mean, (float) Math.max(MIN_SD, Math.sqrt(var))};
    }
  }
}
