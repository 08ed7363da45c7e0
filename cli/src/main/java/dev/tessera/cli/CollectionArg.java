package dev.tessera.cli;

import dev.tessera.api.collection.VectorCollection;
import java.nio.file.Path;

/** The {@code --collection C} of commands that read an existing collection. */
final class CollectionArg {
  private CollectionArg() {}

  /** Throws the one-line error (with the command that creates one) when {@code c} is none. */
  static void requireExisting(Path c) {
    if (!VectorCollection.exists(c)) {
      throw new IllegalArgumentException(
          "No collection at "
              + c.toAbsolutePath()
              + ": create one with 'tessera index DIR --collection "
              + c
              + "'.");
    }
  }
}
