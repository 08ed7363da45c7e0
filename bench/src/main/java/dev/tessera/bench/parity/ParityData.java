package dev.tessera.bench.parity;

import dev.tessera.api.Filter;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.synthetic.ClipLikeVectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * One parity data set: seeded CLIP-like corpus and queries (even ids images, odd ids texts), a
 * metadata key {@code rank} holding a seeded permutation of {@code 0..n-1} (so {@code rank < s·n}
 * selects exactly a share {@code s}, uncorrelated with the clusters), and the filter cases.
 *
 * @param name the data set's name in the results ({@code clip} or {@code strong-gap})
 * @param fingerprint the model the vectors belong to
 * @param corpus the corpus vectors; vector i has modality {@link ClipLikeVectors#modalityOf(int)}
 * @param queries the queries, images and texts alternating
 * @param rank the {@code rank} metadata value of each corpus vector
 * @param cases the cases every engine is measured on, unfiltered first
 */
public record ParityData(
    String name,
    ModelFingerprint fingerprint,
    float[][] corpus,
    float[][] queries,
    long[] rank,
    List<ParityCase> cases) {

  /** The metadata key whose values give the selectivities. */
  public static final String RANK_KEY = "rank";

  /** The metadata selectivities measured, as shares of the corpus. */
  public static final double[] SELECTIVITIES = {0.001, 0.01, 0.10, 0.50};

  /**
   * Generates data set {@code name}: {@code clip} (the harness's CLIP-like data: about 1000 vectors
   * per cluster, gap 1.0, spread 0.8) or {@code strong-gap} (the same generator with a wider
   * modality gap and tighter, more numerous clusters, where a graph's default walk strays).
   */
  public static ParityData generate(String name, int n, int queries, int dim, long seed) {
    return generate(name, n, queries, dim, seed, SELECTIVITIES);
  }

  /** As {@link #generate(String, int, int, int, long)}, with the metadata selectivities given. */
  public static ParityData generate(
      String name, int n, int queries, int dim, long seed, double[] selectivities) {
    ClipLikeVectors gen =
        switch (name) {
          case "clip" -> new ClipLikeVectors(seed, dim, Math.max(8, n / 1000), 1.0, 0.8);
          case "strong-gap" -> new ClipLikeVectors(seed, dim, Math.max(8, n / 100), 2.0, 0.5);
          default ->
              throw new IllegalArgumentException(
                  "Unknown data set '" + name + "'; use clip or strong-gap.");
        };
    if (n < 1000) {
      throw new IllegalArgumentException(
          "--size " + n + " is too small for a 0.1% filter to match a record; use 1000 or more.");
    }
    float[][] corpus = gen.vectors(n, 0);
    float[][] q = gen.vectors(queries, 1);
    long[] rank = permutation(n, seed ^ 0x5E1EC7L);
    return new ParityData(name, gen.fingerprint(), corpus, q, rank, cases(n, selectivities));
  }

  private static List<ParityCase> cases(int n, double[] selectivities) {
    List<ParityCase> out = new ArrayList<>();
    out.add(new ParityCase("unfiltered", Filter.ALL, null, -1));
    out.add(new ParityCase("modality=image", Filter.modality(Modality.IMAGE), Modality.IMAGE, -1));
    for (double s : selectivities) {
      long below = Math.round(s * n);
      out.add(
          new ParityCase(
              String.format(Locale.ROOT, "rank<%s%%", pct(s)),
              Filter.where(RANK_KEY).lt(below),
              null,
              below));
    }
    return out;
  }

  private static String pct(double s) {
    // via the decimal text, so 0.08 names "8" and not 8.000000000000002
    return new java.math.BigDecimal(Double.toString(s))
        .movePointRight(2)
        .stripTrailingZeros()
        .toPlainString();
  }

  private static long[] permutation(int n, long seed) {
    long[] p = new long[n];
    for (int i = 0; i < n; i++) p[i] = i;
    Random r = new Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      long t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** This data set with only the cases named in {@code names} (all of them when null). */
  public ParityData onlyCases(java.util.Collection<String> names) {
    if (names == null) return this;
    List<ParityCase> kept = new ArrayList<>();
    for (ParityCase c : cases) if (names.contains(c.name())) kept.add(c);
    if (kept.isEmpty()) {
      List<String> known = cases.stream().map(ParityCase::name).toList();
      throw new IllegalArgumentException(
          "--cases " + names + " names none of this data set's cases; they are " + known + ".");
    }
    return new ParityData(name, fingerprint, corpus, queries, rank, List.copyOf(kept));
  }

  /** The corpus rows case {@code c} accepts, in order, or null for all. */
  public int[] rows(ParityCase c) {
    if (c.isAll()) return null;
    int[] out = new int[corpus.length];
    int m = 0;
    for (int i = 0; i < corpus.length; i++) if (c.accepts(i, rank[i])) out[m++] = i;
    return java.util.Arrays.copyOf(out, m);
  }
}
