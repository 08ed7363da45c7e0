package dev.tessera.bench.parity;

import dev.tessera.api.Filter;
import dev.tessera.api.Modality;
import dev.tessera.synthetic.ClipLikeVectors;

/**
 * One query case: the Tessera filter and the same restriction spelled for the raw libraries (a
 * modality term, or {@code rank < rankBelow}).
 *
 * @param name the case's name in the results
 * @param filter the filter the Tessera stores get
 * @param modality the only modality accepted, or null for both
 * @param rankBelow records with {@code rank < rankBelow} are accepted; -1 for no rank condition
 */
public record ParityCase(String name, Filter filter, Modality modality, long rankBelow) {

  /** Whether this case accepts every record. */
  public boolean isAll() {
    return modality == null && rankBelow < 0;
  }

  /** Whether corpus row {@code i} with rank {@code rank} passes this case. */
  public boolean accepts(int i, long rank) {
    return (modality == null || ClipLikeVectors.modalityOf(i) == modality)
        && (rankBelow < 0 || rank < rankBelow);
  }
}
