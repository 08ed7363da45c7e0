package dev.tessera.cli;

import dev.tessera.api.Embedding;
import dev.tessera.api.EmbeddingResult;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.Source;
import dev.tessera.api.collection.VectorCollection;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Indexes a folder into a collection: images (recognised by their bytes), {@code .txt} files (one
 * record each) and captions from manifests ({@link CaptionManifests}). Files that look like
 * something to index but are not (empty, named like an image without being one, not UTF-8, a
 * caption line that can not be read) are reported as skipped with the reason; files of other kinds
 * are counted as ignored.
 *
 * <p>Ids are stable and path-based ({@code image:rel/path.jpg}, {@code text:notes/a.txt}, {@code
 * caption:rel/path.jpg#1}). A second run embeds only new or changed files (by size and modification
 * time, or caption text) and deletes the records of files that are gone. Every batch is committed,
 * so an interrupted run keeps what it committed. Links are followed only when they stay inside the
 * folder.
 */
final class FolderIndexer {
  /**
   * What a run did. {@code skipped}: files (or manifest lines) that look like something to index
   * but were not, with the reason; {@code ignored}: files of other kinds (not images, {@code .txt}
   * or manifests); {@code batches}: batches committed by this run; {@code pending}: records left
   * for the next run after an interruption.
   */
  record Report(
      int embedded,
      int images,
      int texts,
      int unchanged,
      int removed,
      Map<String, String> skipped,
      List<String> ignored,
      int batches,
      int pending,
      boolean interrupted) {}

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(FolderIndexer.class);

  /** File name endings of the image formats the encoders read. */
  static final java.util.Set<String> IMAGE_ENDINGS =
      java.util.Set.of(".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".tif", ".tiff");

  private static final String ROOT = "root";
  private static final String STAMP = "stamp";

  private final MultiModalEncoder encoder;
  private final VectorCollection collection;
  private final int batchSize;
  private final AtomicBoolean stop;

  FolderIndexer(
      MultiModalEncoder encoder, VectorCollection collection, int batchSize, AtomicBoolean stop) {
    this.encoder = encoder;
    this.collection = collection;
    this.batchSize = batchSize;
    this.stop = stop;
  }

  private record Wanted(
      String id, Modality modality, Path file, String text, Map<String, String> metadata) {}

  Report run(Path folder, java.io.PrintStream err) throws IOException {
    Path root = folder.toRealPath();
    Path exclude = collection.directory().toAbsolutePath().normalize();
    Map<String, String> bad = new TreeMap<>();
    List<String> ignored = new ArrayList<>();
    List<Wanted> wanted = scan(root, exclude, bad, ignored);

    Map<String, String> existing = new HashMap<>();
    String rootKey = root.toString();
    collection.forEachRecord(
        (id, modality, metadata, source) -> {
          if (rootKey.equals(metadata.get(ROOT)) && metadata.get(STAMP) instanceof String stamp) {
            existing.put(id, stamp);
          }
        });
    List<Wanted> todo = new ArrayList<>();
    int unchanged = 0;
    java.util.Set<String> keep = new java.util.HashSet<>();
    for (Wanted w : wanted) {
      keep.add(w.id);
      if (w.metadata.get(STAMP).equals(existing.get(w.id))) unchanged++;
      else todo.add(w);
    }
    List<String> gone =
        existing.keySet().stream().filter(id -> !keep.contains(id)).sorted().toList();

    LOG.info(
        "{}: {} to embed, {} unchanged, {} gone, {} skipped, {} of other kinds ignored",
        root,
        todo.size(),
        unchanged,
        gone.size(),
        bad.size(),
        ignored.size());
    int embedded = 0, images = 0, texts = 0, batches = 0, done = 0;
    int total = (todo.size() + batchSize - 1) / batchSize;
    boolean interrupted = false;
    try (Progress progress = Progress.start("Embedding", todo.size(), "files")) {
      for (int from = 0; from < todo.size(); from += batchSize) {
        if (stop.get()) {
          interrupted = true;
          break;
        }
        List<Wanted> batch = todo.subList(from, Math.min(todo.size(), from + batchSize));
        List<Item> items = embed(batch, bad);
        collection.upsert(items);
        collection.commit();
        batches++;
        done += batch.size();
        for (Item i : items) {
          if (i.modality() == Modality.IMAGE) images++;
          else texts++;
        }
        embedded += items.size();
        progress.stepBy(batch.size());
        LOG.info("committed batch {} of {} ({} records)", batches, total, items.size());
      }
    }
    if (!interrupted && !gone.isEmpty()) {
      collection.delete(gone);
      collection.commit();
      LOG.info("removed the records of {} files that are gone", gone.size());
    }
    return new Report(
        embedded,
        images,
        texts,
        unchanged,
        interrupted ? 0 : gone.size(),
        bad,
        ignored,
        batches,
        todo.size() - done,
        interrupted);
  }

  private List<Item> embed(List<Wanted> batch, Map<String, String> bad) {
    List<Item> out = new ArrayList<>();
    List<Wanted> imgs = batch.stream().filter(w -> w.modality == Modality.IMAGE).toList();
    List<Wanted> txts = batch.stream().filter(w -> w.modality == Modality.TEXT).toList();
    if (!imgs.isEmpty()) {
      List<EmbeddingResult> rs = encoder.embedImages(imgs.stream().map(Wanted::file).toList());
      for (int k = 0; k < imgs.size(); k++) {
        Wanted w = imgs.get(k);
        if (rs.get(k).isSuccess()) {
          out.add(
              new Item(w.id, rs.get(k).embedding(), w.metadata, Source.image(w.file.toString())));
        } else {
          bad.put(w.file.toString(), rs.get(k).error().getMessage());
        }
      }
    }
    if (!txts.isEmpty()) {
      List<Embedding> es = encoder.embedTexts(txts.stream().map(Wanted::text).toList());
      for (int k = 0; k < txts.size(); k++) {
        Wanted w = txts.get(k);
        out.add(new Item(w.id, es.get(k), w.metadata, Source.text(w.text)));
      }
    }
    return out;
  }

  private List<Wanted> scan(Path root, Path exclude, Map<String, String> bad, List<String> ignored)
      throws IOException {
    List<Wanted> out = new ArrayList<>();
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
            if (attrs.isSymbolicLink()) {
              Path real;
              try {
                real = file.toRealPath();
              } catch (IOException e) {
                bad.put(file.toString(), "broken link");
                return FileVisitResult.CONTINUE;
              }
              if (!real.startsWith(root)) {
                bad.put(file.toString(), "link leads out of " + root + " and is not followed");
                return FileVisitResult.CONTINUE;
              }
              if (!Files.isRegularFile(real)) return FileVisitResult.CONTINUE;
              target = real;
            } else if (!attrs.isRegularFile()) {
              return FileVisitResult.CONTINUE;
            }
            String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            String rel = root.relativize(file).toString().replace('\\', '/');
            long size = Files.size(target);
            long mtime = Files.getLastModifiedTime(target).toMillis();
            if (CaptionManifests.isManifest(name)) {
              manifests.add(file);
            } else if (size == 0 && (name.endsWith(".txt") || isImageName(name))) {
              bad.put(file.toString(), "empty file");
            } else if (name.endsWith(".txt")) {
              try {
                String text =
                    StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(target)))
                        .toString()
                        .strip();
                out.add(
                    new Wanted(
                        "text:" + rel,
                        Modality.TEXT,
                        file,
                        text,
                        meta(file, root, Modality.TEXT, size, mtime, size + ":" + mtime)));
              } catch (CharacterCodingException e) {
                bad.put(file.toString(), "not UTF-8 text");
              }
            } else if (looksLikeImage(target)) {
              out.add(
                  new Wanted(
                      "image:" + rel,
                      Modality.IMAGE,
                      file.toAbsolutePath(),
                      null,
                      meta(file, root, Modality.IMAGE, size, mtime, size + ":" + mtime)));
            } else if (isImageName(name)) {
              bad.put(
                  file.toString(),
                  "not an image: named like one, but its bytes are not JPEG, PNG, GIF, BMP, WebP"
                      + " or TIFF");
            } else {
              ignored.add(file.toString());
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException exc) {
            bad.put(file.toString(), "unreadable: " + exc.getMessage());
            return FileVisitResult.CONTINUE;
          }
        });
    for (Path m : manifests) {
      try {
        readManifest(root, m, out, bad);
      } catch (IOException e) {
        bad.put(m.toString(), "caption manifest not readable (" + e + ")");
      }
    }
    out.sort((a, b) -> a.id.compareTo(b.id));
    return out;
  }

  private static Map<String, String> meta(
      Path file, Path root, Modality modality, long size, long mtime, String stamp) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("path", file.toAbsolutePath().toString());
    m.put("size", Long.toString(size));
    m.put("mtime", Long.toString(mtime));
    m.put("modality", modality.id());
    m.put(ROOT, root.toString());
    m.put(STAMP, stamp);
    return m;
  }

  private static void readManifest(
      Path root, Path manifest, List<Wanted> out, Map<String, String> bad) throws IOException {
    CaptionManifests.Contents contents = CaptionManifests.read(manifest);
    for (CaptionManifests.Problem p : contents.problems()) {
      bad.put(manifest + ":" + p.line(), "caption not understood (" + p.reason() + ")");
    }
    Map<String, Integer> perImage = new HashMap<>();
    for (CaptionManifests.Caption c : contents.captions()) {
      Path img = manifest.getParent().resolve(c.image()).normalize();
      String rel = root.relativize(img.toAbsolutePath()).toString().replace('\\', '/');
      int k = perImage.merge(rel, 1, Integer::sum);
      String id = "caption:" + rel + "#" + k;
      String caption = c.caption();
      Map<String, String> m = new LinkedHashMap<>();
      m.put("path", img.toAbsolutePath().toString());
      m.put("manifest", manifest.toAbsolutePath().toString());
      m.put("modality", Modality.TEXT.id());
      m.put(ROOT, root.toString());
      m.put(STAMP, Integer.toHexString(caption.hashCode()) + ":" + caption.length());
      out.add(new Wanted(id, Modality.TEXT, img, caption, m));
    }
  }

  static boolean isImageName(String lowerCaseName) {
    int dot = lowerCaseName.lastIndexOf('.');
    return dot >= 0 && IMAGE_ENDINGS.contains(lowerCaseName.substring(dot));
  }

  /** JPEG, PNG, GIF, BMP, WebP and TIFF by their first bytes, whatever the file is called. */
  static boolean looksLikeImage(Path file) throws IOException {
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
