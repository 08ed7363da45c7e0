package dev.tessera.index.lucene;

import dev.tessera.api.Modality;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;

/**
 * The live records of each modality in one segment, as bit sets cached per segment reader (a
 * reader's deletions are fixed, so the sets stay right until it is closed and dropped then). A
 * filtered search intersects its filter with them, so the count that decides between the exact scan
 * and the graph walk is the exact number of live records the walk could return, and the walk of
 * each modality's graph accepts only its own records.
 */
final class FieldDocs {
  private static final Modality[] MODALITIES = Modality.values();

  private final Map<IndexReader.CacheKey, FixedBitSet[]> cache = new ConcurrentHashMap<>();

  /** The live records of {@code m} in {@code reader}, or null when it has none; do not modify. */
  FixedBitSet live(LeafReader reader, Modality m) throws IOException {
    IndexReader.CacheHelper helper = reader.getReaderCacheHelper();
    if (helper == null) return compute(reader, m);
    FixedBitSet[] sets = cache.get(helper.getKey());
    if (sets == null) {
      sets = new FixedBitSet[MODALITIES.length];
      for (Modality each : MODALITIES) sets[each.ordinal()] = compute(reader, each);
      if (cache.putIfAbsent(helper.getKey(), sets) == null) helper.addClosedListener(cache::remove);
    }
    return sets[m.ordinal()];
  }

  private static FixedBitSet compute(LeafReader reader, Modality m) throws IOException {
    FloatVectorValues values = reader.getFloatVectorValues(Records.vectorField(m));
    if (values == null) return null;
    FixedBitSet b = new FixedBitSet(reader.maxDoc());
    DocIdSetIterator it = values.iterator();
    Bits live = reader.getLiveDocs();
    for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
      if (live == null || live.get(doc)) b.set(doc);
    }
    return b.cardinality() == 0 ? null : b;
  }
}
