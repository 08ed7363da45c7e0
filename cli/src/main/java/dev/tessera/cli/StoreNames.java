package dev.tessera.cli;

import dev.tessera.api.spi.VectorStores;
import java.util.Iterator;

/** Completion candidates for {@code --store}: the stores on the class path. */
final class StoreNames implements Iterable<String> {
  @Override
  public Iterator<String> iterator() {
    return VectorStores.names().iterator();
  }
}
