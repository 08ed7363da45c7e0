package dev.tessera.index.jvector;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;

/** Graph statistics for the harness's reachability measurements. */
final class GraphDiagnostics {
  private GraphDiagnostics() {}

  /**
   * Per graph: its nodes and levels, the average base-layer degree, the share of base-layer edges
   * that join two modalities, the entry node's modality, and the share of nodes a walk over the
   * base layer from the entry point reaches.
   */
  static Map<String, Object> of(RecordTable records, Graphs graphs) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int g = 0; g < graphs.count(); g++) {
      var graph = graphs.graph(g);
      String n = graphs.name(g);
      m.put(n + ".nodes", graph.size(0));
      m.put(n + ".levels", graph.getMaxLevel() + 1);
      if (graph.size(0) == 0) continue;
      try (var view = graph.getView()) {
        long edges = 0;
        long cross = 0;
        for (int ord = 0; ord < records.nextOrd(); ord++) {
          RecordTable.Rec r = records.rec(ord);
          if (r == null || graphs.graphOf(r.modality()) != g) continue;
          for (var it = view.getNeighborsIterator(0, ord); it.hasNext(); ) {
            RecordTable.Rec nb = records.rec(it.nextInt());
            edges++;
            if (nb != null && nb.modality() != r.modality()) cross++;
          }
        }
        m.put(n + ".avgDegree", edges / (double) Math.max(1, graph.size(0)));
        m.put(n + ".crossModalityEdgeShare", cross / (double) Math.max(1, edges));
        var entry = view.entryNode();
        RecordTable.Rec er = records.rec(entry.node);
        m.put(n + ".entryModality", er == null ? "deleted" : er.modality());
        BitSet seen = new BitSet();
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(entry.node);
        seen.set(entry.node);
        while (!queue.isEmpty()) {
          int x = queue.poll();
          for (var it = view.getNeighborsIterator(0, x); it.hasNext(); ) {
            int nb = it.nextInt();
            if (!seen.get(nb)) {
              seen.set(nb);
              queue.add(nb);
            }
          }
        }
        m.put(n + ".reachableFromEntry", seen.cardinality() / (double) graph.size(0));
      }
    }
    return m;
  }
}
