package dev.tessera.api.search;

/**
 * When an approximate (graph) search must give way to an exact pass over the matching records, so
 * results stay what the store contract promises: the best k, ties broken by ascending id.
 */
public final class ExactFallback {
  private ExactFallback() {}

  /**
   * Whether records tied with the k-th best score may lie beyond the candidates an approximate
   * search returned. That happens when the search returned as many candidates as it was asked for
   * ({@code listWasFull}) and even its worst candidate scores the k-th best score: the graph
   * stopped inside a run of equal scores, and only an exact pass can order that run by id.
   *
   * @param listWasFull whether the approximate search returned as many candidates as requested
   * @param worstCandidate the lowest exact score among the returned candidates
   * @param kthBest the k-th best exact score among them
   */
  public static boolean tiesMayExtendBeyond(
      boolean listWasFull, float worstCandidate, float kthBest) {
    return listWasFull && worstCandidate >= kthBest;
  }

  /**
   * Whether an approximate search that returned {@code found} matches while {@code matching}
   * records pass the filter (at least, when the store only knows a lower bound) fell short of the
   * "k hits whenever k records match" promise.
   */
  public static boolean fellShort(int found, int k, long matching) {
    return found < k && found < matching;
  }
}
