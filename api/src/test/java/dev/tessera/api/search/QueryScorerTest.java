package dev.tessera.api.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.api.Similarity;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QueryScorerTest {
  @Test
  void should_score_each_similarity_on_tesseras_scale_and_bulk_exactly_like_single() {
    SplittableRandom r = new SplittableRandom(3);
    int dim = 67;
    int n = 41;
    float[] rows = new float[n * dim];
    float[] norms = new float[n];
    for (int i = 0; i < rows.length; i++) rows[i] = (float) r.nextGaussian();
    float[] q = new float[dim];
    for (int i = 0; i < dim; i++) q[i] = (float) r.nextGaussian();
    for (Similarity sim : Similarity.values()) {
      QueryScorer s = QueryScorer.of(sim, q);
      float[] out = new float[n];
      for (int i = 0; i < n; i++) {
        float[] v = java.util.Arrays.copyOfRange(rows, i * dim, (i + 1) * dim);
        norms[i] = QueryScorer.norm(v);
      }
      s.scoreBulk(rows, n, norms, out);
      for (int i = 0; i < n; i++) {
        float[] v = java.util.Arrays.copyOfRange(rows, i * dim, (i + 1) * dim);
        float single = s.score(v);
        assertThat(out[i]).as(sim + " row " + i).isEqualTo(single);
        assertThat(s.score(v, norms[i])).isEqualTo(single);
        double dot = 0, qq = 0, vv = 0, d2 = 0;
        for (int j = 0; j < dim; j++) {
          dot += (double) q[j] * v[j];
          qq += (double) q[j] * q[j];
          vv += (double) v[j] * v[j];
          d2 += (double) (q[j] - v[j]) * (q[j] - v[j]);
        }
        double expected =
            switch (sim) {
              case DOT_PRODUCT -> dot;
              case COSINE -> dot / Math.sqrt(qq * vv);
              case EUCLIDEAN -> 1 / (1 + d2);
            };
        assertThat((double) single)
            .as(sim + " row " + i)
            .isCloseTo(
                expected,
                org.assertj.core.data.Offset.offset(1e-4 * Math.max(1, Math.abs(expected))));
      }
    }
  }

  @Test
  void should_score_zero_vectors_zero_under_cosine() {
    assertThat(QueryScorer.of(Similarity.COSINE, new float[] {0, 0}).score(new float[] {1, 0}))
        .isZero();
    assertThat(QueryScorer.of(Similarity.COSINE, new float[] {1, 0}).score(new float[] {0, 0}))
        .isZero();
  }
}
