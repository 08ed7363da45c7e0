package dev.tessera.bench.mixed;

import dev.tessera.api.Hit;
import dev.tessera.api.Modality;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The exact reference rankings of a data set, by brute force over every record: by similarity, or
 * calibrated as {@code MixedRanking} does but with each modality's statistics taken over all its
 * records instead of a sample, so a store's calibrated recall counts both its ANN and its sampling
 * losses.
 */
final class ExactRanking {
  private final MixedData d;

  ExactRanking(MixedData d) {
    this.d = d;
  }

  /** Ids of the best {@code k} records for {@code q} (of modality {@code qm}) under {@code r}. */
  List<String> top(float[] q, Modality qm, int k, Hit.Ranking r) {
    int n = d.size();
    record Scored(String id, double score) {}
    List<Scored> all = new ArrayList<>(2 * n);
    double[] si = new double[n];
    double[] st = new double[n];
    for (int i = 0; i < n; i++) {
      si[i] = MixedData.dot(q, d.images()[i]);
      st[i] = MixedData.dot(q, d.texts()[i]);
    }
    double[] zi = r == Hit.Ranking.CALIBRATED ? calibrate(si, qm != Modality.IMAGE) : si;
    double[] zt = r == Hit.Ranking.CALIBRATED ? calibrate(st, qm != Modality.TEXT) : st;
    for (int i = 0; i < n; i++) {
      all.add(new Scored(MixedQuality.imageId(i), zi[i]));
      all.add(new Scored(MixedQuality.textId(i), zt[i]));
    }
    all.sort(Comparator.comparingDouble((Scored s) -> -s.score()).thenComparing(Scored::id));
    List<String> out = new ArrayList<>(k);
    for (int i = 0; i < Math.min(k, all.size()); i++) out.add(all.get(i).id());
    return out;
  }

  private static double[] calibrate(double[] s, boolean crossModal) {
    double sum = 0;
    double sq = 0;
    for (double v : s) {
      sum += v;
      sq += v * v;
    }
    double mean = sum / s.length;
    double sd = Math.max(1e-4, Math.sqrt(Math.max(0, sq / s.length - mean * mean)));
    double[] z = new double[s.length];
    for (int i = 0; i < s.length; i++) {
      z[i] = (s[i] - mean) / sd + (crossModal ? MixedQuality.PRIOR : 0);
    }
    return z;
  }
}
