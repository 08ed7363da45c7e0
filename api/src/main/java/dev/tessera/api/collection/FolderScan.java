package dev.tessera.api.collection;

import dev.tessera.api.Modality;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Walks a folder for {@link FolderSync}: what it holds to index (with the stamp that tells whether
 * it changed), what it skipped and why, and what it ignored. Reads no image: a file named like an
 * image goes to the encoder as is, and the encoder's decode error becomes its skip reason. Only a
 * file that is named like nothing Tessera indexes has its first 12 bytes read, to find images by
 * content whatever they are called.
 */
final class FolderScan {
  static final String ROOT = "root";
  static final String STAMP = "stamp";

  /** File name endings of the image formats the encoders read. */
  static final Set<String> IMAGE_ENDINGS =
      Set.of(".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".tif", ".tiff");

  /** One record the folder asks for. {@code text} is null for an image. */
  record Wanted(
      String id, Modality modality, Path file, String text, Map<String, String> metadata) {
    String stamp() {
      return metadata.get(STAMP);
    }
  }

  /** What a walk found; {@code skipped} and {@code ignored} are filled by the walk. */
  record Result(List<Wanted> wanted, Map<String, String> skipped, List<String> ignored) {}

  private final Path root;
  private final Path exclude;
  private final FolderSync.CaptionSource captions;
  private final List<Wanted> out = new ArrayList<>();
  private final Map<String, String> skipped;
  private final List<String> ignored = new ArrayList<>();

  private FolderScan(
      Path root, Path exclude, FolderSync.CaptionSource captions, Map<String, String> skipped) {
    this.root = root;
    this.exclude = exclude;
    this.captions = captions;
    this.skipped = skipped;
  }

  /**
   * Walks {@code root} (a real path), leaving out {@code exclude} (the collection's own directory);
   * problems go to {@code skipped}, keyed by file.
   */
  static Result walk(
      Path root, Path exclude, FolderSync.CaptionSource captions, Map<String, String> skipped)
      throws IOException {
    FolderScan s = new FolderScan(root, exclude, captions, skipped);
    List<Path> manifests = s.files();
    for (Path m : manifests) {
      try {
        s.readManifest(m);
      } catch (IOException | RuntimeException e) {
        skipped.put(m.toString(), "caption manifest not readable (" + e + ")");
      }
    }
    s.out.sort((a, b) -> a.id.compareTo(b.id));
    return new Result(s.out, skipped, s.ignored);
  }

  private List<Path> files() throws IOException {
    List<Path> manifests = new ArrayList<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            return dir.toAbsolutePath().normalize().startsWith(exclude)
                ? FileVisitResult.SKIP_SUBTREE
                : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Path target = file;
            BasicFileAttributes a = attrs;
            if (attrs.isSymbolicLink()) {
              Path real;
              try {
                real = file.toRealPath();
              } catch (IOException e) {
                skipped.put(file.toString(), "broken link");
                return FileVisitResult.CONTINUE;
              }
              if (!real.startsWith(root)) {
                skipped.put(file.toString(), "link leads out of " + root + " and is not followed");
                return FileVisitResult.CONTINUE;
              }
              a = Files.readAttributes(real, BasicFileAttributes.class);
              if (!a.isRegularFile()) return FileVisitResult.CONTINUE;
              target = real;
            } else if (!attrs.isRegularFile()) {
              return FileVisitResult.CONTINUE;
            }
            visit(file, target, a, manifests);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException exc) {
            skipped.put(file.toString(), "unreadable: " + exc.getMessage());
            return FileVisitResult.CONTINUE;
          }
        });
    return manifests;
  }

  private void visit(Path file, Path target, BasicFileAttributes a, List<Path> manifests)
      throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    String rel = relative(file);
    long size = a.size();
    long mtime = a.lastModifiedTime().toMillis();
    boolean text = name.endsWith(".txt");
    if (captions != null && captions.isManifest(file)) {
      manifests.add(file);
    } else if (size == 0 && (text || isImageName(name))) {
      skipped.put(file.toString(), "empty file");
    } else if (text) {
      try {
        String body =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(Files.readAllBytes(target)))
                .toString()
                .strip();
        out.add(
            new Wanted(
                "text:" + rel, Modality.TEXT, file, body, meta(file, Modality.TEXT, size, mtime)));
      } catch (CharacterCodingException e) {
        skipped.put(file.toString(), "not UTF-8 text");
      }
    } else if (isImageName(name) || (size > 0 && startsLikeImage(target))) {
      out.add(
          new Wanted(
              "image:" + rel,
              Modality.IMAGE,
              file.toAbsolutePath(),
              null,
              meta(file, Modality.IMAGE, size, mtime)));
    } else {
      ignored.add(file.toString());
    }
  }

  private String relative(Path file) {
    return root.relativize(file.toAbsolutePath()).toString().replace('\\', '/');
  }

  private Map<String, String> meta(Path file, Modality modality, long size, long mtime) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("path", file.toAbsolutePath().toString());
    m.put("size", Long.toString(size));
    m.put("mtime", Long.toString(mtime));
    m.put("modality", modality.id());
    m.put(ROOT, root.toString());
    m.put(STAMP, size + ":" + mtime);
    return m;
  }

  private void readManifest(Path manifest) throws IOException {
    FolderSync.CaptionManifest contents = captions.read(manifest);
    for (FolderSync.Problem p : contents.problems()) {
      skipped.put(manifest + ":" + p.line(), "caption not understood (" + p.reason() + ")");
    }
    Map<String, Integer> perImage = new HashMap<>();
    for (FolderSync.Caption c : contents.captions()) {
      Path img = manifest.getParent().resolve(c.image()).normalize();
      String rel = relative(img);
      int k = perImage.merge(rel, 1, Integer::sum);
      String caption = c.text();
      Map<String, String> m = new LinkedHashMap<>();
      m.put("path", img.toAbsolutePath().toString());
      m.put("manifest", manifest.toAbsolutePath().toString());
      m.put("modality", Modality.TEXT.id());
      m.put(ROOT, root.toString());
      m.put(STAMP, Integer.toHexString(caption.hashCode()) + ":" + caption.length());
      out.add(new Wanted("caption:" + rel + "#" + k, Modality.TEXT, img, caption, m));
    }
  }

  static boolean isImageName(String lowerCaseName) {
    int dot = lowerCaseName.lastIndexOf('.');
    return dot >= 0 && IMAGE_ENDINGS.contains(lowerCaseName.substring(dot));
  }

  /**
   * JPEG, PNG, GIF, BMP, WebP and TIFF by their first bytes: only for files not named like an
   * image, which would otherwise be ignored.
   */
  static boolean startsLikeImage(Path file) throws IOException {
    byte[] h;
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      h = in.readNBytes(12);
    }
    if (h.length < 4) return false;
    int b0 = h[0] & 0xff, b1 = h[1] & 0xff, b2 = h[2] & 0xff, b3 = h[3] & 0xff;
    if (b0 == 0xFF && b1 == 0xD8 && b2 == 0xFF) return true;
    if (b0 == 0x89 && b1 == 'P' && b2 == 'N' && b3 == 'G') return true;
    if (b0 == 'G' && b1 == 'I' && b2 == 'F' && b3 == '8') return true;
    if (b0 == 'B' && b1 == 'M') return true;
    if ((b0 == 'I' && b1 == 'I' && b2 == 42 && b3 == 0)
        || (b0 == 'M' && b1 == 'M' && b2 == 0 && b3 == 42)) return true;
    return h.length >= 12
        && b0 == 'R'
        && b1 == 'I'
        && b2 == 'F'
        && b3 == 'F'
        && h[8] == 'W'
        && h[9] == 'E'
        && h[10] == 'B'
        && h[11] == 'P';
  }
}
