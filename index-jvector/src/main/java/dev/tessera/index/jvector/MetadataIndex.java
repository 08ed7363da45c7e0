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
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * An inverted index of the records' metadata, in memory: per key, each value's ordinals, with
 * strings and numbers in sorted maps for ranges, and the live ordinals per modality. It turns a
 * {@link Condition} into the set of matching live ordinals at a cost that grows with the matches
 * and the distinct values a range spans, not with the records (plus word-wise bit-set operations
 * over the ordinal space, 1/64 of a word per ordinal). It is rebuilt from the records when a store
 * opens and after deletes; a removed record's ordinal stays in its postings until then and is
 * dropped by the live sets, since ordinals are never reused.
 *
 * <p>Evaluation agrees with {@link Condition#matches}: numbers compare exactly across long and
 * double ({@link Values#compare}, so {@code 2024 = 2024.0} and {@code -0.0 = 0.0} share one posting
 * list), strings by code point, booleans only by equality; a negation ({@code !=}, {@code not in},
 * {@code missing}, {@code not}) is the complement within the live records searched.
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
    stale = false;
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

  /** One key's postings: by string, by number (exact order across long and double), by boolean. */
  private static final class KeyIndex {
    final Postings present = new Postings();
    final TreeMap<Object, Postings> strings = new TreeMap<>(EXACT);
    final TreeMap<Object, Postings> numbers = new TreeMap<>(EXACT);
    final Postings[] booleans = {new Postings(), new Postings()};

    void add(int ord, Object value) {
      present.add(ord);
      switch (value) {
        case String s -> strings.computeIfAbsent(s, v -> new Postings()).add(ord);
        case Boolean b -> booleans[b ? 1 : 0].add(ord);
        default -> numbers.computeIfAbsent(value, v -> new Postings()).add(ord);
      }
    }

    void equalTo(Object value, BitSet out) {
      Postings p =
          switch (value) {
            case String s -> strings.get(s);
            case Boolean b -> booleans[b ? 1 : 0];
            default -> numbers.get(value);
          };
      if (p != null) p.addTo(out);
    }

    void range(Condition.Op op, Object bound, BitSet out) {
      NavigableMap<Object, Postings> sorted = bound instanceof String ? strings : numbers;
      NavigableMap<Object, Postings> in =
          switch (op) {
            case LT -> sorted.headMap(bound, false);
            case LTE -> sorted.headMap(bound, true);
            case GT -> sorted.tailMap(bound, false);
            case GTE -> sorted.tailMap(bound, true);
            default -> throw new AssertionError(op);
          };
      for (Postings p : in.values()) p.addTo(out);
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
