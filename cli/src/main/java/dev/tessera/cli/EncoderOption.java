package dev.tessera.cli;

import dev.tessera.api.spi.EncoderProvider;
import dev.tessera.api.spi.Encoders;
import java.util.Iterator;
import java.util.TreeSet;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --encoder NAME}, shared by the commands that open a model: which encoder provider opens
 * it, when the first one that recognises the directory is not the one wanted. The name is checked
 * when the command line is read (a misspelt one suggests the nearest).
 */
final class EncoderOption {
  @Option(
      names = "--encoder",
      paramLabel = "NAME",
      converter = Names.class,
      completionCandidates = Names.class,
      description =
          "Encoder that opens the model: ${COMPLETION-CANDIDATES} (default: the first that"
              + " recognises the model directory).")
  String name;

  /** Completion candidates and the name check. */
  static final class Names implements Iterable<String>, ITypeConverter<String> {
    static TreeSet<String> names() {
      TreeSet<String> names = new TreeSet<>();
      for (EncoderProvider p : Encoders.providers()) names.add(p.name());
      return names;
    }

    @Override
    public Iterator<String> iterator() {
      return names().iterator();
    }

    @Override
    public String convert(String name) {
      TreeSet<String> names = names();
      if (names.contains(name)) return name;
      throw new TypeConversionException(Suggestions.unknown("encoder", name, names));
    }
  }
}
