package dev.tessera.cli;

import dev.tessera.api.spi.VectorStores;
import java.util.Iterator;
import java.util.TreeSet;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --store NAME}: completion candidates (the stores on the class path) and a check of the
 * name when the command line is read, so a misspelt store ({@code lucen}) is a usage error that
 * suggests the nearest name before any work starts.
 */
final class StoreNames implements Iterable<String>, ITypeConverter<String> {
  @Override
  public Iterator<String> iterator() {
    return VectorStores.names().iterator();
  }

  @Override
  public String convert(String name) {
    TreeSet<String> names = VectorStores.names();
    if (names.contains(name)) return name;
    throw new TypeConversionException(Suggestions.unknown("store", name, names));
  }
}
