package dev.tessera.bench.mixed;

import dev.tessera.api.Embedding;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.Query;
import dev.tessera.api.collection.VectorCollection;
import dev.tessera.api.spi.VectorStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Measures one data set in one store: builds a collection holding every image and caption, then
 * asks each sampled pair's caption and picture, unfiltered and modality-filtered, under both
 * rankings.
 */
public final class MixedQuality {
  /** Results per query list; the unfiltered lists are cut to 1 and 5 for the own-pair metrics. */
  static final int K = 10;

  /**
   * The cross-modal prior of {@code dev.tessera.api.collection.MixedRanking} (package-private
   * there), for the exact calibrated reference ranking.
   */
  static final double PRIOR = 0.5;

  private MixedQuality() {}

  /** Quality numbers of one (data set, size, store, ranking). */
  public record Row(
      String dataset,
      int size,
      String store,
      Hit.Ranking ranking,
      int queries,
      double textToImageTop1,
      double textToImageTop5,
      double imageToTextTop1,
      double imageToTextTop5,
      double textToImageTop1SelfOut,
      double imageToTextTop1SelfOut,
      double textToImageTop1Filtered,
      double textToImageTop5Filtered,
      double textToImageClassTop1,
      double textToImageClassTop5,
      double imageToTextClassTop1,
      double imageToTextClassTop5,
      double imageSameClass5,
      double textSameClass5,
      double filteredUnchanged,
      double mixedTop5,
      double recallAt10) {}

  /**
   * Builds {@code d} in a new collection of store {@code store} under {@code dir} and measures it
   * with up to {@code queries} pairs (evenly spaced), returning the SIMILARITY then the CALIBRATED
   * row.
   */
  public static List<Row> measure(MixedData d, String store, Path dir, int queries) {
    int n = d.size();
    try (VectorCollection c =
        VectorCollection.create(dir, VectorStores.provider(store), d.fingerprint(), Map.of())) {
      List<Item> items = new ArrayList<>(2 * n);
      for (int i = 0; i < n; i++) {
        items.add(Item.of(imageId(i), Embedding.image(d.images()[i], d.fingerprint())));
        items.add(Item.of(textId(i), Embedding.text(d.texts()[i], d.fingerprint())));
      }
      for (int from = 0; from < items.size(); from += 1000) {
        c.upsert(items.subList(from, Math.min(items.size(), from + 1000)));
      }
      c.commit();
      int q = Math.min(queries, n);
      int[] picked = new int[q];
      for (int j = 0; j < q; j++) picked[j] = (int) ((j + 0.5) * n / q);
      Map<Integer, Integer> classCount = new HashMap<>();
      for (int cls : d.classes()) classCount.merge(cls, 1, Integer::sum);
      ExactRanking exact = new ExactRanking(d);
      double ceiling = 0;
      double ceiling5 = 0;
      for (int p : picked) {
        List<String> h = ids(c.search(Query.of(text(d, p)).k(5).only(Modality.IMAGE)));
        if (!h.isEmpty() && h.get(0).equals(imageId(p))) ceiling++;
        if (h.contains(imageId(p))) ceiling5++;
      }
      List<Row> rows = new ArrayList<>();
      Map<String, List<String>> rawFiltered = new HashMap<>();
      for (Hit.Ranking ranking : Hit.Ranking.values()) {
        double t1 = 0, t5 = 0, i1 = 0, i5 = 0, t1o = 0, i1o = 0, mixed = 0, recall = 0;
        double[] classHits = new double[4];
        double imgSame = 0, txtSame = 0, unchanged = 0;
        int imgSameN = 0, txtSameN = 0;
        for (int p : picked) {
          for (Modality m : Modality.values()) {
            Embedding e = m == Modality.TEXT ? text(d, p) : image(d, p);
            String own = m == Modality.TEXT ? imageId(p) : textId(p);
            List<String> ids = ids(c.search(Query.of(e).k(K).ranking(ranking)));
            boolean top1 = !ids.isEmpty() && ids.get(0).equals(own);
            boolean top5 = ids.subList(0, Math.min(5, ids.size())).contains(own);
            String selfId = m == Modality.TEXT ? textId(p) : imageId(p);
            List<String> out = ids.stream().filter(id -> !id.equals(selfId)).toList();
            boolean top1Out = !out.isEmpty() && out.get(0).equals(own);
            if (m == Modality.TEXT) {
              t1 += top1 ? 1 : 0;
              t5 += top5 ? 1 : 0;
              t1o += top1Out ? 1 : 0;
            } else {
              i1 += top1 ? 1 : 0;
              i5 += top5 ? 1 : 0;
              i1o += top1Out ? 1 : 0;
            }
            char other = m == Modality.TEXT ? 'i' : 't';
            int slot = m == Modality.TEXT ? 0 : 2;
            for (int r = 0; r < Math.min(5, ids.size()); r++) {
              String id = ids.get(r);
              if (id.charAt(0) == other && d.classes()[index(id)] == d.classes()[p]) {
                if (r == 0) classHits[slot]++;
                classHits[slot + 1]++;
                break;
              }
            }
            mixed += mixes(ids.subList(0, Math.min(5, ids.size()))) ? 1 : 0;
            Set<String> ref = new HashSet<>(exact.top(e.vector(), m, K, ranking));
            int found = 0;
            for (String id : ids) found += ref.contains(id) ? 1 : 0;
            recall += (double) found / ref.size();

            List<String> f = ids(c.search(Query.of(e).k(6).ranking(ranking).only(m)));
            String key = m + "/" + p;
            if (ranking == Hit.Ranking.SIMILARITY) rawFiltered.put(key, f);
            unchanged += f.equals(rawFiltered.get(key)) ? 1 : 0;
            int others = classCount.get(d.classes()[p]) - 1;
            if (others > 0) {
              int same = 0;
              int taken = 0;
              for (String id : f) {
                if (id.equals(selfId) || taken == 5) continue;
                taken++;
                if (d.classes()[index(id)] == d.classes()[p]) same++;
              }
              double v = (double) same / Math.min(5, others);
              if (m == Modality.IMAGE) {
                imgSame += v;
                imgSameN++;
              } else {
                txtSame += v;
                txtSameN++;
              }
            }
          }
        }
        rows.add(
            new Row(
                d.name(),
                n,
                store,
                ranking,
                q,
                t1 / q,
                t5 / q,
                i1 / q,
                i5 / q,
                t1o / q,
                i1o / q,
                ceiling / q,
                ceiling5 / q,
                classHits[0] / q,
                classHits[1] / q,
                classHits[2] / q,
                classHits[3] / q,
                imgSameN == 0 ? Double.NaN : imgSame / imgSameN,
                txtSameN == 0 ? Double.NaN : txtSame / txtSameN,
                unchanged / (2.0 * q),
                mixed / (2.0 * q),
                recall / (2.0 * q)));
      }
      return rows;
    }
  }

  static String imageId(int i) {
    return String.format("i%06d", i);
  }

  static String textId(int i) {
    return String.format("t%06d", i);
  }

  static int index(String id) {
    return Integer.parseInt(id.substring(1));
  }

  private static Embedding text(MixedData d, int i) {
    return Embedding.text(d.texts()[i], d.fingerprint());
  }

  private static Embedding image(MixedData d, int i) {
    return Embedding.image(d.images()[i], d.fingerprint());
  }

  private static List<String> ids(List<Hit> hits) {
    List<String> out = new ArrayList<>(hits.size());
    for (Hit h : hits) out.add(h.id());
    return out;
  }

  private static boolean mixes(List<String> ids) {
    boolean img = false;
    boolean txt = false;
    for (String id : ids) {
      img |= id.charAt(0) == 'i';
      txt |= id.charAt(0) == 't';
    }
    return img && txt;
  }
}
