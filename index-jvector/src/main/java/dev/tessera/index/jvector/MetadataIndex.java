package dev.tessera.index.jvector;

import dev.tessera.api.Condition;
import dev.tessera.api.Metadata;
import dev.tessera.api.Modality;
import dev.tessera.api.Values;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/**
 * An inverted index of the records' metadata, in memory: per key, its strings and its numbers each
 * as a column of (value, ordinal) pairs sorted by value, booleans as ordinal lists, and the live
 * ordinals per modality. It turns a {@link Condition} into the set of matching live ordinals at a
 * cost that grows with the matches (two binary searches and one slice of ordinals per equality or
 * range), not with the records or the distinct values, plus word-wise bit-set operations over the
 * ordinal space (1/64 of a word per ordinal). It is rebuilt from the records after deletes and
 * sealed (pending additions sorted in) on open and at each commit; a removed record's ordinal stays
 * in its postings until a rebuild and is dropped by the live sets, since ordinals are never reused.
 *
 * <p>Evaluation agrees with {@link Condition#matches}: numbers compare exactly across long and
 * double ({@link Values#compare}, so {@code 2024 = 2024.0} and {@code -0.0 = 0.0} are one value),
 * strings by code point, booleans only by equality; a negation ({@code !=}, {@code not in}, {@code
 * missing}, {@code not}) is the complement within the live records searched.
 */
final class MetadataIndex {
  private static final Comparator<Object> EXACT =
      (a, b) -> {
        Integer c = Values.compare(a, b);
        if (c == null) throw new IllegalStateException("incomparable " + a + " and " + b);
        return c;
      };

  private final Map<String, KeyIndex> keys = new HashMap<>();
  private final BitSet[] live = new BitSet[Modality.values().length];
  private boolean stale;

  MetadataIndex() {
    for (int m = 0; m < live.length; m++) live[m] = new BitSet();
  }

  /** Indexes the live record at {@code ord}. */
  void add(int ord, Modality modality, Metadata metadata) {
    live[modality.ordinal()].set(ord);
    for (Map.Entry<String, Object> e : metadata.asMap().entrySet()) {
      keys.computeIfAbsent(e.getKey(), k -> new KeyIndex()).add(ord, e.getValue());
    }
  }

  /** Forgets the record at {@code ord}; its postings are pruned at the next {@link #rebuild}. */
  void remove(int ord, Modality modality) {
    live[modality.ordinal()].clear(ord);
    stale = true;
  }

  /** Whether removed ordinals still sit in postings. */
  boolean stale() {
    return stale;
  }

  /** Re-indexes every live record of {@code records}, dropping removed ordinals' postings. */
  void rebuild(RecordTable records) {
    keys.clear();
    for (BitSet b : live) b.clear();
    for (int ord = 0; ord < records.nextOrd(); ord++) {
      RecordTable.Rec r = records.rec(ord);
      if (r != null) add(ord, r.modality(), r.metadata());
    }
    seal();
    stale = false;
  }

  /**
   * Sorts every pending addition into its key's column, so lookups binary-search the whole column
   * (after a load and at each commit; additions in between are merged in batches).
   */
  void seal() {
    for (KeyIndex k : keys.values()) k.seal();
  }

  /** The live ordinals of modality {@code m} (not a copy: do not change it). */
  BitSet live(Modality m) {
    return live[m.ordinal()];
  }

  /** The ordinals of {@code universe} (live records) whose metadata satisfies {@code c}. */
  BitSet matching(Condition c, BitSet universe) {
    return switch (c) {
      case Condition.Compare x -> compare(x, universe);
      case Condition.In x -> {
        BitSet any = new BitSet();
        KeyIndex k = keys.get(x.key());
        if (k != null) for (Object v : x.values()) k.equalTo(v, any);
        yield restrict(any, universe, x.negated());
      }
      case Condition.Exists x -> {
        BitSet present = new BitSet();
        KeyIndex k = keys.get(x.key());
        if (k != null) k.present.addTo(present);
        yield restrict(present, universe, !x.exists());
      }
      case Condition.And x -> {
        BitSet r = universe;
        for (Condition part : x.parts()) {
          r = matching(part, r); // each part narrows the universe of the next
          if (r.isEmpty()) break;
        }
        yield r == universe ? (BitSet) universe.clone() : r;
      }
      case Condition.Or x -> {
        BitSet r = new BitSet();
        for (Condition part : x.parts()) r.or(matching(part, universe));
        yield r;
      }
      case Condition.Not x -> restrict(matching(x.inner(), universe), universe, true);
    };
  }

  private BitSet compare(Condition.Compare x, BitSet universe) {
    BitSet hits = new BitSet();
    KeyIndex k = keys.get(x.key());
    if (k != null) {
      switch (x.op()) {
        case EQ, NE -> k.equalTo(x.value(), hits);
        default -> k.range(x.op(), x.value(), hits);
      }
    }
    return restrict(hits, universe, x.op() == Condition.Op.NE);
  }

  /** {@code hits ∩ universe}, or {@code universe \ hits} when {@code complement}. */
  private static BitSet restrict(BitSet hits, BitSet universe, boolean complement) {
    if (complement) {
      BitSet r = (BitSet) universe.clone();
      r.andNot(hits);
      return r;
    }
    hits.and(universe);
    return hits;
  }

  /**
   * One key's postings: strings and numbers each in a {@link Column} sorted by value (exact order
   * across long and double), booleans as two ordinal lists, and every ordinal holding the key.
   */
  private static final class KeyIndex {
    final Postings present = new Postings();
    final Column strings = new Column();
    final Column numbers = new Column();
    final Postings[] booleans = {new Postings(), new Postings()};

    void add(int ord, Object value) {
      present.add(ord);
      switch (value) {
        case String s -> strings.add(ord, s);
        case Boolean b -> booleans[b ? 1 : 0].add(ord);
        default -> numbers.add(ord, value);
      }
    }

    void equalTo(Object value, BitSet out) {
      switch (value) {
        case String s -> strings.addRange(s, true, s, true, out);
        case Boolean b -> booleans[b ? 1 : 0].addTo(out);
        default -> numbers.addRange(value, true, value, true, out);
      }
    }

    void range(Condition.Op op, Object bound, BitSet out) {
      Column sorted = bound instanceof String ? strings : numbers;
      switch (op) {
        case LT -> sorted.addRange(null, false, bound, false, out);
        case LTE -> sorted.addRange(null, false, bound, true, out);
        case GT -> sorted.addRange(bound, false, null, false, out);
        case GTE -> sorted.addRange(bound, true, null, false, out);
        default -> throw new AssertionError(op);
      }
    }

    void seal() {
      strings.merge();
      numbers.merge();
    }
  }

  /**
   * The (value, ordinal) pairs of one kind of value of a key as a sorted column: a range or an
   * equality is two binary searches and one slice of ordinals, read in order (8 bytes per pair: the
   * value is the record's own object). Pairs added since the last merge wait in an unsorted tail
   * that every lookup also scans; it is merged in once it outgrows 1/32 of the column (or at {@link
   * MetadataIndex#seal}), so a lookup compares at most ~3% of the pairs one by one.
   */
  private static final class Column {
    private static final int TAIL_MIN = 256;
    Object[] values = new Object[0];
    int[] ords = new int[0];
    Object[] tailValues = new Object[8];
    int[] tailOrds = new int[8];
    int tailSize;

    void add(int ord, Object value) {
      if (tailSize == tailOrds.length) {
        tailValues = Arrays.copyOf(tailValues, tailSize * 2);
        tailOrds = Arrays.copyOf(tailOrds, tailSize * 2);
      }
      tailValues[tailSize] = value;
      tailOrds[tailSize++] = ord;
      if (tailSize > Math.max(TAIL_MIN, values.length >>> 5)) merge();
    }

    /** Sorts the tail into the column. */
    void merge() {
      if (tailSize == 0) return;
      Integer[] order = new Integer[tailSize];
      for (int i = 0; i < tailSize; i++) order[i] = i;
      Arrays.sort(order, (a, b) -> EXACT.compare(tailValues[a], tailValues[b]));
      int n = values.length + tailSize;
      Object[] v = new Object[n];
      int[] o = new int[n];
      int i = 0;
      int j = 0;
      for (int w = 0; w < n; w++) {
        // Ties keep the column's pair first: the order within equal values does not matter.
        if (j == tailSize
            || (i < values.length && EXACT.compare(values[i], tailValues[order[j]]) <= 0)) {
          v[w] = values[i];
          o[w] = ords[i++];
        } else {
          v[w] = tailValues[order[j]];
          o[w] = tailOrds[order[j++]];
        }
      }
      values = v;
      ords = o;
      Arrays.fill(tailValues, 0, tailSize, null);
      tailSize = 0;
    }

    /**
     * Sets in {@code out} the ordinals whose value lies between {@code lo} and {@code hi} (null:
     * unbounded on that side), each bound inclusive or not.
     */
    void addRange(Object lo, boolean loIn, Object hi, boolean hiIn, BitSet out) {
      int from = lo == null ? 0 : firstAbove(lo, loIn);
      int to = hi == null ? values.length : firstAbove(hi, !hiIn);
      for (int i = from; i < to; i++) out.set(ords[i]);
      for (int i = 0; i < tailSize; i++) {
        Object v = tailValues[i];
        if ((lo == null || cmp(lo, v, loIn)) && (hi == null || cmp(v, hi, hiIn))) {
          out.set(tailOrds[i]);
        }
      }
    }

    /** Whether {@code a < b}, or {@code a <= b} when {@code orEqual}. */
    private static boolean cmp(Object a, Object b, boolean orEqual) {
      int c = EXACT.compare(a, b);
      return orEqual ? c <= 0 : c < 0;
    }

    /**
     * The first index whose value is {@code >= bound} ({@code inclusive}) or {@code > bound}; the
     * column's length when there is none.
     */
    private int firstAbove(Object bound, boolean inclusive) {
      int lo = 0;
      int hi = values.length;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        int c = EXACT.compare(values[mid], bound);
        if (c < 0 || (c == 0 && !inclusive)) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    }
  }

  /** Ordinals in the order they were added (ascending, since ordinals only grow). */
  private static final class Postings {
    int[] ords = new int[2];
    int size;

    void add(int ord) {
      if (size == ords.length) ords = Arrays.copyOf(ords, size * 2);
      ords[size++] = ord;
    }

    void addTo(BitSet out) {
      for (int i = 0; i < size; i++) out.set(ords[i]);
    }
  }
}
