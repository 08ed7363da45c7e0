package dev.tessera.serve;

import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.Source;
import dev.tessera.api.collection.VectorCollection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Finds the file of an image item, and nothing else: the id must be an image record of the
 * collection, its stored path absolute and free of {@code ..}, and the file (links resolved) inside
 * the folder it was indexed from. Every refusal is a 404 that says why, never a file's bytes.
 */
final class ImageFiles {
  /** Content types of the formats the encoder reads, by file extension. */
  static final Map<String, String> TYPES =
      Map.of(
          "png", "image/png",
          "jpg", "image/jpeg",
          "jpeg", "image/jpeg",
          "gif", "image/gif",
          "bmp", "image/bmp",
          "webp", "image/webp");

  private ImageFiles() {}

  /** The image file of {@code id}: its real path, checked as the class comment says. */
  static Path resolve(VectorCollection c, String id) {
    Item item =
        c.get(id).orElseThrow(() -> HttpError.notFound("No item '" + id + "' in this collection."));
    if (item.modality() != Modality.IMAGE || !(item.source() instanceof Source.Image img)) {
      throw HttpError.notFound("'" + id + "' is not an image item; only images have files here.");
    }
    Path file;
    try {
      file = Path.of(img.location());
    } catch (InvalidPathException e) {
      throw HttpError.notFound("The stored path of '" + id + "' is not a valid path.");
    }
    if (!file.isAbsolute() || !file.normalize().equals(file)) {
      throw HttpError.notFound(
          "The stored path of '" + id + "' is relative or holds '..'; it is not served.");
    }
    if (type(file) == null) {
      throw HttpError.notFound("'" + id + "' does not name an image file (" + file + ").");
    }
    Path root = sourceFolder(id, file);
    try {
      Path real = file.toRealPath();
      Path realRoot = root.toRealPath();
      if (!real.startsWith(realRoot)) {
        throw HttpError.notFound(
            "The file of '" + id + "' is a link leaving its source folder; it is not served.");
      }
      if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
        throw HttpError.notFound("The file of '" + id + "' is not a regular file.");
      }
      return real;
    } catch (IOException e) {
      throw HttpError.notFound("The file of '" + id + "' is gone: " + file + ".");
    }
  }

  /**
   * The folder the item was indexed from: for {@code tessera index}'s ids ({@code image:rel/path})
   * the stored path minus {@code rel/path}, else the file's own folder.
   */
  static Path sourceFolder(String id, Path file) {
    if (id.startsWith("image:")) {
      try {
        Path rel = Path.of(id.substring("image:".length()));
        if (!rel.isAbsolute()
            && rel.normalize().equals(rel)
            && !rel.toString().isEmpty()
            && file.endsWith(rel)
            && file.getNameCount() > rel.getNameCount()) {
          Path root = file.getRoot();
          return root.resolve(file.subpath(0, file.getNameCount() - rel.getNameCount()));
        }
      } catch (InvalidPathException e) {
        // not a path-based id: fall back to the file's folder
      }
    }
    return file.getParent();
  }

  /** The content type for the file's extension, or null when it is not an image format. */
  static String type(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? null : TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }
}
