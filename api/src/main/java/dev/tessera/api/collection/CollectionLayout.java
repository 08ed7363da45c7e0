package dev.tessera.api.collection;

import dev.tessera.api.CorruptCollectionException;
import dev.tessera.api.TesseraException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Where a collection's parts lie on disk, and the only code that reads and writes them:
 *
 * <pre>
 * photos.tessera/
 *   CURRENT                 names the live generation (checksummed, replaced by atomic rename)
 *   write.lock              held by the one writer (see {@link CollectionLock})
 *   gen-000001/MANIFEST     format, store, fingerprint, created, settings (checksummed)
 *   gen-000001/store/       the backend's files
 * </pre>
 */
final class CollectionLayout {
  static final String POINTER = "CURRENT";
  private static final String POINTER_KIND = "tessera-collection";
  static final String STORE_DIR = "store";
  private static final Pattern GENERATION = Pattern.compile("gen-\\d{6,}");

  private CollectionLayout() {}

  static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(POINTER));
  }

  static boolean isGenerationName(String name) {
    return GENERATION.matcher(name).matches();
  }

  static int generationNumber(String name) {
    return Integer.parseInt(name.substring(4));
  }

  static Path storeDirectory(Path genDir) {
    return genDir.resolve(STORE_DIR);
  }

  /** The live generation's directory name, checked to exist. */
  static String readPointer(Path dir) throws IOException {
    Path pointer = dir.resolve(POINTER);
    if (!Files.exists(pointer)) {
      if (!Files.exists(dir)) {
        throw new TesseraException(
            "No collection at "
                + dir
                + ": create it first (e.g. tessera index DIR --collection "
                + dir
                + ").");
      }
      throw new TesseraException(
          dir
              + " is not a Tessera collection (it has no "
              + POINTER
              + " file). If a create was interrupted, delete the directory and create it again.");
    }
    Map<String, String> e;
    try {
      e = ChecksummedFile.read(pointer, POINTER_KIND);
    } catch (NoSuchFileException ex) {
      throw new TesseraException("No collection at " + dir + ".");
    }
    String format = e.get("format");
    if (!"1".equals(format)) {
      throw new CorruptCollectionException(
          pointer + " has format " + format + "; this Tessera reads format 1.");
    }
    String gen = e.get("generation");
    if (gen == null || !isGenerationName(gen)) {
      throw new CorruptCollectionException(pointer + " names no valid generation: '" + gen + "'.");
    }
    if (!Files.isDirectory(dir.resolve(gen))) {
      throw new CorruptCollectionException(
          pointer + " names " + gen + ", which is missing from " + dir + ".");
    }
    return gen;
  }

  static void writePointer(Path dir, String generation) throws IOException {
    Map<String, String> e = new LinkedHashMap<>();
    e.put("kind", POINTER_KIND);
    e.put("format", "1");
    e.put("generation", generation);
    ChecksummedFile.write(
        dir.resolve(POINTER),
        "Tessera collection: the live generation. Replaced atomically; do not edit.",
        e);
  }

  /** The manifest of generation {@code name}; a missing one is reported as damage. */
  static GenerationManifest readManifest(Path dir, String name) throws IOException {
    Path genDir = dir.resolve(name);
    try {
      return GenerationManifest.read(genDir);
    } catch (NoSuchFileException e) {
      throw new CorruptCollectionException(
          "The generation "
              + name
              + " of the collection in "
              + dir
              + " has no "
              + GenerationManifest.FILE
              + " file: it is damaged or was not made by Tessera. Restore the collection from a"
              + " backup, or reindex it from its sources.",
          e);
    }
  }

  /** The generation directory names in {@code dir}, in order. */
  static TreeSet<String> generationNames(Path dir) throws IOException {
    TreeSet<String> names = new TreeSet<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "gen-*")) {
      for (Path p : ds) {
        if (Files.isDirectory(p) && isGenerationName(p.getFileName().toString())) {
          names.add(p.getFileName().toString());
        }
      }
    }
    return names;
  }

  /** Whether {@code dir} is a directory holding nothing but, at most, a lock file. */
  static boolean isEmptyDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) return false;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (!CollectionLock.isLockFile(p)) return false;
      }
      return true;
    }
  }

  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) return;
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
            if (exc != null) throw exc;
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
