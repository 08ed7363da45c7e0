package dev.tessera.api;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Which records a search may return: a set of modalities and metadata entries that must all be
 * equal. Backends apply it inside the search (never by filtering the top k afterwards), so a
 * selective filter still returns k hits when k records match.
 */
public record Filter(Set<Modality> modalities, Map<String, String> metadataEquals) {
  /** Matches every record. */
  public static final Filter ALL = new Filter(EnumSet.allOf(Modality.class), Map.of());

  /** Validates and copies; an empty modality set is refused since it would match nothing. */
  public Filter {
    if (modalities == null || modalities.isEmpty()) {
      throw new IllegalArgumentException(
          "A filter needs at least one modality; leave it out to search all.");
    }
    modalities = Collections.unmodifiableSet(EnumSet.copyOf(modalities));
    metadataEquals = Item.copyMetadata(metadataEquals);
  }

  /** Whether a record with this modality and metadata passes. */
  public boolean matches(Modality modality, Map<String, String> metadata) {
    if (!modalities.contains(modality)) return false;
    for (Map.Entry<String, String> e : metadataEquals.entrySet()) {
      if (!e.getValue().equals(metadata.get(e.getKey()))) return false;
    }
    return true;
  }

  /** Whether {@code item} passes. */
  public boolean matches(Item item) {
    return matches(item.modality(), item.metadata());
  }

  /** Whether this filter lets every record through. */
  public boolean isAll() {
    return modalities.size() == Modality.values().length && metadataEquals.isEmpty();
  }
}
