package dev.tessera.index.jvector;

import dev.tessera.api.Embedding;
import dev.tessera.api.Item;
import dev.tessera.api.Metadata;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Source;
import dev.tessera.api.search.QueryScorer;
import io.github.jbellis.jvector.graph.RandomAccessVectorValues;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The store's records by dense ordinal: ids ↔ ordinals, vectors and norms, metadata and its {@link
 * MetadataIndex}, live counts.
 */
final class RecordTable {
  private static final VectorTypeSupport VTS =
      VectorizationProvider.getInstance().getVectorTypeSupport();

  /** What we keep about a record besides its vector. */
  record Rec(String id, Modality modality, Metadata metadata, Source source) {}

  private final int dim;
  private float[][] vectors = new float[1024][];
  private float[] norms = new float[1024];
  private Rec[] recs = new Rec[1024];
  private int nextOrd;
  private final Map<String, Integer> ordOf = new HashMap<>();
  private final int[] liveCount = new int[Modality.values().length];
  private final VectorValues values = new VectorValues();
  private final MetadataIndex index = new MetadataIndex();

  RecordTable(int dim) {
    this.dim = dim;
  }

  int dimension() {
    return dim;
  }

  /** One past the highest ordinal ever given out. */
  int nextOrd() {
    return nextOrd;
  }

  /** Live records. */
  int size() {
    return ordOf.size();
  }

  int liveCount(Modality m) {
    return liveCount[m.ordinal()];
  }

  /** The live record at {@code ord}, or null when it is deleted or was never given out. */
  Rec rec(int ord) {
    return recs[ord];
  }

  float[] vector(int ord) {
    return vectors[ord];
  }

  float norm(int ord) {
    return norms[ord];
  }

  /** The live ordinal of {@code id}, or null. */
  Integer ordOf(String id) {
    return ordOf.get(id);
  }

  /** Makes room for ordinals below {@code n}. */
  void ensureCapacity(int n) {
    if (n <= vectors.length) return;
    int cap = Math.max(n, vectors.length * 2);
    vectors = Arrays.copyOf(vectors, cap);
    norms = Arrays.copyOf(norms, cap);
    recs = Arrays.copyOf(recs, cap);
  }

  /**
   * Adds {@code item} under the next ordinal (the caller has removed an older copy) and returns it.
   */
  int add(Item item) {
    ensureCapacity(nextOrd + 1);
    int ord = nextOrd++;
    setVector(ord, item.embedding().vector());
    put(ord, new Rec(item.id(), item.modality(), item.metadata(), item.source()));
    return ord;
  }

  /** Makes {@code rec} live at {@code ord} (a loaded record). */
  void put(int ord, Rec rec) {
    recs[ord] = rec;
    ordOf.put(rec.id(), ord);
    liveCount[rec.modality().ordinal()]++;
    index.add(ord, rec.modality(), rec.metadata());
  }

  /** The metadata index of the live records (kept current by {@link #put} and {@link #remove}). */
  MetadataIndex index() {
    return index;
  }

  void setVector(int ord, float[] v) {
    vectors[ord] = v;
    norms[ord] = QueryScorer.norm(v);
  }

  /** Sets the ordinal space after a load. */
  void setNextOrd(int next) {
    ensureCapacity(next);
    nextOrd = next;
  }

  /**
   * Removes the live record at {@code ord}; with {@code dropVector} its vector goes too (it never
   * reached a graph), else it stays until {@link #forgetVector} (the graphs still hold the node).
   */
  Rec remove(int ord, boolean dropVector) {
    Rec r = recs[ord];
    recs[ord] = null;
    if (ordOf.get(r.id()) == ord) ordOf.remove(r.id());
    liveCount[r.modality().ordinal()]--;
    index.remove(ord, r.modality());
    if (dropVector) vectors[ord] = null;
    return r;
  }

  void forgetVector(int ord) {
    vectors[ord] = null;
  }

  Item item(int ord, ModelFingerprint fingerprint) {
    Rec r = recs[ord];
    return new Item(
        r.id(), new Embedding(vectors[ord], fingerprint, r.modality()), r.metadata(), r.source());
  }

  /** JVector's view of the vectors, by ordinal; vectors are wrapped, not copied. */
  RandomAccessVectorValues values() {
    return values;
  }

  VectorFloat<?> jvectorOf(int ord) {
    return VTS.createFloatVector(vectors[ord]);
  }

  private final class VectorValues implements RandomAccessVectorValues {
    @Override
    public int size() {
      return nextOrd;
    }

    @Override
    public int dimension() {
      return dim;
    }

    @Override
    public VectorFloat<?> getVector(int ord) {
      return VTS.createFloatVector(vectors[ord]);
    }

    @Override
    public boolean isValueShared() {
      return false;
    }

    @Override
    public RandomAccessVectorValues copy() {
      return this;
    }
  }
}
