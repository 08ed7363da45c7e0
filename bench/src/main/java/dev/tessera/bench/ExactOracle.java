package dev.tessera.bench;

import dev.tessera.api.Hit;
import dev.tessera.api.math.VectorKernel;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The harness's ground truth: the exact top k of every query by brute force on the bulk kernel, and
 * recall against it.
 */
public final class ExactOracle {
  private ExactOracle() {}

  /**
   * Exact top-k ids by dot product (the vectors are unit length, so this is cosine order), ties by
   * id.
   */
  static String[][] topK(VectorKernel kernel, float[][] corpus, float[][] queries, int k) {
    int[][] rows = topRows(kernel, corpus, null, queries, k);
    String[][] truth = new String[rows.length][];
    for (int q = 0; q < rows.length; q++) {
      truth[q] = new String[k];
      for (int j = 0; j < k; j++) truth[q][j] = rows[q][j] < 0 ? null : Harness.id(rows[q][j]);
    }
    return truth;
  }

  /**
   * Exact top-k corpus rows by dot product among {@code subset} (ascending rows; null for all),
   * ties by row; -1 pads a list when fewer than k rows qualify.
   */
  public static int[][] topRows(
      VectorKernel kernel, float[][] corpus, int[] subset, float[][] queries, int k) {
    int n = subset == null ? corpus.length : subset.length;
    int dim = corpus[0].length;
    int block = 1024; // rows per bulk-kernel call: 2 MiB of 512-d rows, L2-sized
    int[][] truth = new int[queries.length][];
    IntStream.range(0, queries.length)
        .parallel()
        .forEach(
            q -> {
              float[] bestS = new float[k];
              int[] bestI = new int[k];
              Arrays.fill(bestS, Float.NEGATIVE_INFINITY);
              Arrays.fill(bestI, -1);
              float[] rows = new float[block * dim];
              float[] scores = new float[block];
              for (int from = 0; from < n; from += block) {
                int count = Math.min(block, n - from);
                for (int r = 0; r < count; r++)
                  System.arraycopy(corpus[row(subset, from + r)], 0, rows, r * dim, dim);
                kernel.dotBulk(queries[q], rows, count, scores);
                for (int r = 0; r < count; r++) {
                  float s = scores[r];
                  if (s > bestS[k - 1]) {
                    int j = k - 1;
                    while (j > 0 && bestS[j - 1] < s) {
                      bestS[j] = bestS[j - 1];
                      bestI[j] = bestI[j - 1];
                      j--;
                    }
                    bestS[j] = s;
                    bestI[j] = row(subset, from + r);
                  }
                }
              }
              truth[q] = bestI;
            });
    return truth;
  }

  private static int row(int[] subset, int i) {
    return subset == null ? i : subset[i];
  }

  /** Recall@k of {@code results} against {@code truth}: the share of true ids found. */
  static double recall(List<Hit>[] results, String[][] truth) {
    long found = 0;
    long total = 0;
    for (int q = 0; q < truth.length; q++) {
      List<String> want = Arrays.asList(truth[q]);
      for (Hit h : results[q]) if (want.contains(h.id())) found++;
      total += want.size();
    }
    return (double) found / total;
  }
}
