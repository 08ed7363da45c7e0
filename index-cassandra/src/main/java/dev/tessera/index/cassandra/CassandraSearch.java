package dev.tessera.index.cassandra;

import com.datastax.oss.driver.api.core.cql.Row;
import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.search.ExactFallback;
import dev.tessera.api.search.QueryScorer;
import dev.tessera.api.search.TopK;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * One search: per modality the filter allows, SAI's ANN candidates (k plus extra, with the modality
 * and the pushed-down terms as restrictions) rescored exactly on Tessera's scale, or an exact pass
 * over the matching rows when they are few, when the candidates held fewer than k matches, or when
 * they ended inside a run of equal scores. Searching each modality apart keeps CLIP's modality gap
 * from starving one of them of candidates. Rows that a newer write in the overlay replaces are
 * skipped and the overlay's records scored here, so a search sees the same state as get.
 */
final class CassandraSearch {
  private final RecordTable records;
  private final CassandraSettings settings;
  private final ModelFingerprint fp;
  private final LongAdder exactPasses = new LongAdder();
  private final LongAdder annQueries = new LongAdder();

  CassandraSearch(RecordTable records, CassandraSettings settings, ModelFingerprint fp) {
    this.records = records;
    this.settings = settings;
    this.fp = fp;
  }

  /** Per-modality searches so far that scored their matches exactly. */
  long exactPasses() {
    return exactPasses.sum();
  }

  /** ANN queries sent so far. */
  long annQueries() {
    return annQueries.sum();
  }

  List<Hit> search(CassandraStore.View view, float[] query, int k, Filter filter) {
    QueryScorer scorer = QueryScorer.of(fp.similarity(), query);
    Map<String, Item> overlay = view.overlay();
    TopK<Item> top = new TopK<>(k, Item::id);
    for (Item it : overlay.values()) {
      if (it != null && filter.matches(it)) {
        top.offer(it, scorer.score(it.embedding().vector()), it.id());
      }
    }
    Pushdown pushdown = Pushdown.of(filter);
    Set<Modality> exact = EnumSet.noneOf(Modality.class);
    for (Modality m : filter.modalities()) {
      long live = view.marker().count(m);
      if (live == 0) continue;
      List<Item> found = candidates(m, live, pushdown, query, k, filter, overlay, scorer);
      if (found == null) {
        exact.add(m);
        continue;
      }
      for (Item it : found) top.offer(it, scorer.score(it.embedding().vector()), it.id());
    }
    if (!exact.isEmpty()) {
      for (Item it : exact(exact, pushdown, filter, overlay)) {
        top.offer(it, scorer.score(it.embedding().vector()), it.id());
      }
    }
    List<Hit> hits = new ArrayList<>(top.size());
    for (TopK.Scored<Item> s : top.results()) hits.add(Hit.of(s.item(), s.score()));
    return hits;
  }

  /**
   * The matching committed records of modality {@code m} that may be in the top k, or null when
   * only an exact pass over the matches can tell.
   */
  private List<Item> candidates(
      Modality m,
      long live,
      Pushdown pushdown,
      float[] query,
      int k,
      Filter filter,
      Map<String, Item> overlay,
      QueryScorer scorer) {
    int below = settings.exactSearchBelow();
    int limit =
        Math.min(CassandraSettings.MAX_ANN_LIMIT, k + Math.max(settings.extraCandidates(), 1));
    if (live <= below || k >= CassandraSettings.MAX_ANN_LIMIT) return null;
    if (!pushdown.isEmpty() && records.countUpTo(m, pushdown, below + 1) <= below) return null;
    annQueries.increment();
    int beam = Math.max(limit, settings.searchBeam());
    List<String> ranked = records.annIds(m, pushdown, query, beam);
    // The best k + extra of the beam, nearest first by SAI's own score, are read whole and
    // rescored.
    List<String> wanted = new ArrayList<>(limit);
    for (String id : ranked) {
      if (wanted.size() >= limit) break;
      if (!overlay.containsKey(id)) wanted.add(id);
    }
    List<Item> out = new ArrayList<>(wanted.size());
    TopK<Item> local = new TopK<>(k, Item::id);
    float worst = Float.POSITIVE_INFINITY;
    for (Row r : records.rows(wanted)) {
      Item it = Records.item(r, fp);
      if (!filter.matches(it)) continue;
      float s = scorer.score(it.embedding().vector());
      worst = Math.min(worst, s);
      local.offer(it, s, it.id());
      out.add(it);
    }
    boolean full = ranked.size() >= beam || wanted.size() < ranked.size();
    boolean tied =
        local.isFull() && ExactFallback.tiesMayExtendBeyond(full, worst, local.worstScore());
    // Fewer than k matches among the candidates: SAI returns fewer than asked when it stops early
    // under a restriction, and the client-side part of the filter or the overlay can drop more.
    return out.size() < k || tied ? null : out;
  }

  /**
   * Every committed record of the modalities {@code ms} that matches. Without pushed-down terms
   * this is one scan of the store's partition, read in order on disk, rather than an SAI query per
   * modality, which reads its rows one by one; the filter is checked before a vector is decoded.
   */
  private List<Item> exact(
      Set<Modality> ms, Pushdown pushdown, Filter filter, Map<String, Item> overlay) {
    exactPasses.increment();
    List<Item> out = new ArrayList<>();
    if (pushdown.isEmpty()) {
      collect(records.scan(null, Pushdown.NONE), ms, filter, overlay, out);
    } else {
      for (Modality m : ms) collect(records.scan(m, pushdown), ms, filter, overlay, out);
    }
    return out;
  }

  private void collect(
      Iterable<Row> rows,
      Set<Modality> ms,
      Filter filter,
      Map<String, Item> overlay,
      List<Item> out) {
    for (Row r : rows) {
      Modality m = Modality.parse(r.getString(1));
      if (!ms.contains(m) || overlay.containsKey(Records.id(r))) continue;
      if (filter.hasCondition() && !filter.matches(m, Records.metadata(r))) continue;
      out.add(Records.item(r, fp));
    }
  }
}
