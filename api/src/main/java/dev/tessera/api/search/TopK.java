package dev.tessera.api.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The best {@code k} of a stream of scored candidates, ordered as the store contract says: higher
 * score first, equal scores by ascending id. Bounded (it keeps at most k) and lazy about ids: a
 * candidate's id is asked for only when its score ties another's at the boundary, so a store whose
 * ids cost a lookup pays for it only on ties.
 *
 * <p>Scores compare as numbers ({@code -0.0 == 0.0}); they must not be NaN. Not thread-safe.
 *
 * @param <T> the store's candidate (a record, an ordinal, a document number)
 */
public final class TopK<T> {
  private final int k;
  private final Function<? super T, String> idOf;
  private Object[] items;
  private float[] scores;
  private String[] ids;
  private int size;

  /** Keeps the best {@code k} (≥ 1); {@code idOf} gives a candidate's record id. */
  public TopK(int k, Function<? super T, String> idOf) {
    if (k < 1) throw new IllegalArgumentException("k must be at least 1, got " + k + ".");
    this.k = k;
    this.idOf = idOf;
    int cap = Math.min(k, 1 << 10) + 1; // a huge k grows the arrays only as candidates arrive
    this.items = new Object[cap];
    this.scores = new float[cap];
    this.ids = new String[cap];
  }

  /** How many candidates are kept at most. */
  public int k() {
    return k;
  }

  /** How many are kept now. */
  public int size() {
    return size;
  }

  /** Whether k candidates are kept. */
  public boolean isFull() {
    return size == k;
  }

  /** The worst kept score (the k-th best once full); negative infinity while empty. */
  public float worstScore() {
    return size == 0 ? Float.NEGATIVE_INFINITY : scores[0];
  }

  /**
   * Whether a candidate with {@code score} could enter: always while not full, else when it beats
   * the worst kept score or ties it (then the ids decide).
   */
  public boolean competes(float score) {
    return size < k || score >= scores[0];
  }

  /** Offers a candidate; returns whether it is kept (for now). */
  public boolean offer(T item, float score) {
    return offer(item, score, null);
  }

  /** Offers a candidate whose id is already known (saves a lookup on ties). */
  public boolean offer(T item, float score, String id) {
    if (Float.isNaN(score)) throw new IllegalArgumentException("a score must not be NaN");
    score += 0.0f; // -0.0 becomes 0.0, so equal numbers tie
    if (size < k) {
      grow();
      int i = size++;
      items[i] = item;
      scores[i] = score;
      ids[i] = id;
      siftUp(i);
      return true;
    }
    if (score < scores[0]) return false;
    if (score == scores[0]) {
      String cand = id != null ? id : idOf.apply(item);
      if (cand.compareTo(id(0)) >= 0) return false;
      id = cand;
    }
    items[0] = item;
    scores[0] = score;
    ids[0] = id;
    siftDown(0);
    return true;
  }

  /** The kept candidates, best first. Leaves this collector as it was. */
  public List<Scored<T>> results() {
    Integer[] order = new Integer[size];
    for (int i = 0; i < size; i++) order[i] = i;
    Arrays.sort(
        order,
        (a, b) -> {
          int c = Float.compare(scores[b], scores[a]);
          return c != 0 ? c : id(a).compareTo(id(b));
        });
    List<Scored<T>> out = new ArrayList<>(size);
    for (int i : order) {
      @SuppressWarnings("unchecked")
      T item = (T) items[i];
      out.add(new Scored<>(item, scores[i], ids[i]));
    }
    return out;
  }

  /**
   * A kept candidate and its score; {@link #id(Function)} gives its id (known when it was needed).
   *
   * @param <T> the candidate type
   * @param item the candidate
   * @param score its score
   * @param knownId its id when it was looked up or given, else null
   */
  public record Scored<T>(T item, float score, String knownId) {
    /** The id, looked up with {@code idOf} when it is not known yet. */
    public String id(Function<? super T, String> idOf) {
      return knownId != null ? knownId : idOf.apply(item);
    }
  }

  private void grow() {
    if (size < items.length) return;
    int cap = (int) Math.min((long) k + 1, 2L * items.length);
    items = Arrays.copyOf(items, cap);
    scores = Arrays.copyOf(scores, cap);
    ids = Arrays.copyOf(ids, cap);
  }

  private String id(int i) {
    if (ids[i] == null) {
      @SuppressWarnings("unchecked")
      T item = (T) items[i];
      ids[i] = idOf.apply(item);
    }
    return ids[i];
  }

  /** Whether slot a is worse than slot b: lower score, or equal score and larger id. */
  private boolean worse(int a, int b) {
    if (scores[a] != scores[b]) return scores[a] < scores[b];
    return id(a).compareTo(id(b)) > 0;
  }

  private void siftUp(int i) {
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!worse(i, parent)) break;
      swap(i, parent);
      i = parent;
    }
  }

  private void siftDown(int i) {
    while (true) {
      int l = 2 * i + 1;
      if (l >= size) return;
      int r = l + 1;
      int w = r < size && worse(r, l) ? r : l;
      if (!worse(w, i)) return;
      swap(i, w);
      i = w;
    }
  }

  private void swap(int a, int b) {
    Object it = items[a];
    items[a] = items[b];
    items[b] = it;
    float s = scores[a];
    scores[a] = scores[b];
    scores[b] = s;
    String id = ids[a];
    ids[a] = ids[b];
    ids[b] = id;
  }

  @Override
  public String toString() {
    return "TopK[k=" + k + ", size=" + size + ", worst=" + worstScore() + "]";
  }
}
