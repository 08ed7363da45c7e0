package dev.tessera.index.jvector;

import dev.tessera.api.Modality;
import dev.tessera.api.search.QueryScorer;
import java.util.Arrays;

/**
 * Per graph, a sample of its nodes that searches score exactly to choose where to enter. The
 * sample's vectors are kept packed row after row, so each search scores them with the bulk kernel
 * from one contiguous block (2 MiB at 512 dimensions, which stays in cache between searches)
 * instead of reading 1,024 vectors scattered over the heap.
 */
final class Landmarks {
  /** Most landmarks kept per graph: scoring them costs about as much as a few dozen graph hops. */
  static final int MAX_LANDMARKS = 1024;

  private final RecordTable records;
  private final Graphs graphs;
  private final int[][] landmarks;
  private final float[][] rows;
  private final float[][] norms;
  private final int[] liveAtLandmarks;

  Landmarks(RecordTable records, Graphs graphs) {
    this.records = records;
    this.graphs = graphs;
    this.landmarks = new int[graphs.count()][0];
    this.rows = new float[graphs.count()][0];
    this.norms = new float[graphs.count()][0];
    this.liveAtLandmarks = new int[graphs.count()];
  }

  /**
   * Re-samples each graph's landmarks: every stride-th live node, at most {@link #MAX_LANDMARKS}.
   * Only graphs whose size moved by more than 5 % are resampled, unless {@code all}.
   */
  void refresh(boolean all) {
    int[] live = new int[graphs.count()];
    for (Modality m : Modality.values()) live[graphs.graphOf(m)] += records.liveCount(m);
    for (int g = 0; g < live.length; g++) {
      if (!all
          && Math.abs(live[g] - liveAtLandmarks[g]) <= liveAtLandmarks[g] / 20
          && landmarks[g].length > 0) continue;
      int stride = Math.max(1, (live[g] + MAX_LANDMARKS - 1) / MAX_LANDMARKS);
      int[] out = new int[Math.min(live[g], MAX_LANDMARKS + 1)];
      int n = 0;
      int seen = 0;
      for (int ord = 0; ord < records.nextOrd() && n < out.length; ord++) {
        RecordTable.Rec r = records.rec(ord);
        if (r == null || graphs.graphOf(r.modality()) != g) continue;
        if (seen++ % stride == 0) out[n++] = ord;
      }
      landmarks[g] = Arrays.copyOf(out, n);
      rows[g] = pack(landmarks[g]);
      norms[g] = new float[n];
      for (int i = 0; i < n; i++) norms[g][i] = records.norm(landmarks[g][i]);
      liveAtLandmarks[g] = live[g];
    }
  }

  /** The vectors of {@code ords}, row after row (an ordinal's vector never changes). */
  private float[] pack(int[] ords) {
    if (ords.length == 0) return new float[0];
    int dim = records.vector(ords[0]).length;
    float[] packed = new float[ords.length * dim];
    for (int i = 0; i < ords.length; i++) {
      System.arraycopy(records.vector(ords[i]), 0, packed, i * dim, dim);
    }
    return packed;
  }

  /**
   * The live landmark of graph {@code g} scoring best against the query, or -1. The bulk kernel
   * gives the scores the single-pair one would, so the choice is the one a row-by-row loop makes.
   */
  int best(int g, QueryScorer scorer) {
    int[] ords = landmarks[g];
    float[] scores = new float[ords.length];
    scorer.scoreBulk(rows[g], ords.length, norms[g], scores);
    int best = -1;
    float bestScore = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < ords.length; i++) {
      // A landmark deleted since the last resampling is skipped.
      if (scores[i] > bestScore && records.rec(ords[i]) != null) {
        bestScore = scores[i];
        best = ords[i];
      }
    }
    return best;
  }
}
