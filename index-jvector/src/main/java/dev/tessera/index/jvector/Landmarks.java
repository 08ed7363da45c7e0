package dev.tessera.index.jvector;

import dev.tessera.api.Modality;
import dev.tessera.api.search.QueryScorer;
import java.util.Arrays;

/** Per graph, a sample of its nodes that searches score exactly to choose where to enter. */
final class Landmarks {
  /** Most landmarks kept per graph: scoring them costs about as much as a few dozen graph hops. */
  static final int MAX_LANDMARKS = 1024;

  private final RecordTable records;
  private final Graphs graphs;
  private final int[][] landmarks;
  private final int[] liveAtLandmarks;

  Landmarks(RecordTable records, Graphs graphs) {
    this.records = records;
    this.graphs = graphs;
    this.landmarks = new int[graphs.count()][0];
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
      liveAtLandmarks[g] = live[g];
    }
  }

  /** The live landmark of graph {@code g} scoring best against the query, or -1. */
  int best(int g, QueryScorer scorer) {
    int best = -1;
    float bestScore = Float.NEGATIVE_INFINITY;
    for (int ord : landmarks[g]) {
      if (records.rec(ord) == null) continue;
      float s = scorer.score(records.vector(ord), records.norm(ord));
      if (s > bestScore) {
        bestScore = s;
        best = ord;
      }
    }
    return best;
  }
}
