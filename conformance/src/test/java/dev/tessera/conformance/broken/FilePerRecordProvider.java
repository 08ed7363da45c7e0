package dev.tessera.conformance.broken;

import dev.tessera.api.ClosedException;
import dev.tessera.api.Embedding;
import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Source;
import dev.tessera.api.search.QueryScorer;
import dev.tessera.api.spi.MetadataCodec;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import dev.tessera.api.spi.VectorStoreProvider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A store as a vendor might write it first: each record in a file of its own, and a commit that
 * writes the changed records' files (and removes the deleted ones) one after the other, with no
 * rename, journal or commit marker. It breaks exactly one rule, {@link VectorStore}'s commit
 * atomicity: a crash inside {@code commit()} leaves part of a batch on disk, and the next open
 * serves it. Otherwise correct: one lock, exact search, reads see every write.
 */
public final class FilePerRecordProvider implements VectorStoreProvider {
  private static final String FINGERPRINT = "fingerprint.txt";
  private static final String RECORDS = "records";

  /** For the kit's writer process, by class name. */
  public FilePerRecordProvider() {}

  @Override
  public String name() {
    return "file-per-record";
  }

  @Override
  public String description() {
    return "broken on purpose: one file per record, written one at a time on commit";
  }

  @Override
  public VectorStore create(StoreContext context, ModelFingerprint fingerprint) throws IOException {
    Files.createDirectories(context.directory().resolve(RECORDS));
    Files.writeString(context.directory().resolve(FINGERPRINT), fingerprint.canonical());
    return new FilePerRecordStore(context.directory(), fingerprint, new LinkedHashMap<>(), false);
  }

  @Override
  public VectorStore open(StoreContext context) throws IOException {
    Path dir = context.directory();
    ModelFingerprint fp =
        ModelFingerprint.parse(Files.readString(dir.resolve(FINGERPRINT)).strip());
    LinkedHashMap<String, Item> records = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(dir.resolve(RECORDS))) {
      for (Path f : files.sorted().toList()) {
        Item it = read(Files.readAllBytes(f), fp);
        records.put(it.id(), it);
      }
    }
    return new FilePerRecordStore(dir, fp, records, context.readOnly());
  }

  private static Item read(byte[] bytes, ModelFingerprint fp) throws IOException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      String id = in.readUTF();
      Modality m = Modality.values()[in.readByte()];
      float[] v = new float[fp.dimension()];
      for (int i = 0; i < v.length; i++) v[i] = in.readFloat();
      return new Item(
          id, new Embedding(v, fp, m), MetadataCodec.read(in), Source.decode(in.readUTF()));
    }
  }

  private static byte[] bytes(Item it) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeUTF(it.id());
      out.writeByte(it.modality().ordinal());
      for (float x : it.embedding().vector()) out.writeFloat(x);
      MetadataCodec.write(out, it.metadata());
      out.writeUTF(it.source().encode());
    }
    return bytes.toByteArray();
  }

  private static final class FilePerRecordStore implements VectorStore {
    private final Path dir;
    private final ModelFingerprint fingerprint;
    private final LinkedHashMap<String, Item> records;
    private final Set<String> changed = new LinkedHashSet<>();
    private final boolean readOnly;
    private boolean closed;

    FilePerRecordStore(
        Path dir, ModelFingerprint fp, LinkedHashMap<String, Item> records, boolean readOnly) {
      this.dir = dir;
      this.fingerprint = fp;
      this.records = records;
      this.readOnly = readOnly;
    }

    private void ensureOpen() {
      if (closed) throw new ClosedException("The file-per-record store in " + dir);
    }

    private Path file(String id) {
      return dir.resolve(RECORDS)
          .resolve(HexFormat.of().formatHex(id.getBytes(StandardCharsets.UTF_8)) + ".rec");
    }

    @Override
    public synchronized ModelFingerprint fingerprint() {
      ensureOpen();
      return fingerprint;
    }

    @Override
    public synchronized void upsert(List<Item> items) {
      ensureOpen();
      for (Item it : items) {
        records.put(it.id(), it);
        changed.add(it.id());
      }
    }

    @Override
    public synchronized void delete(List<String> ids) {
      ensureOpen();
      for (String id : ids) if (records.remove(id) != null) changed.add(id);
    }

    @Override
    public synchronized Optional<Item> get(String id) {
      ensureOpen();
      return Optional.ofNullable(records.get(id));
    }

    @Override
    public synchronized long count() {
      ensureOpen();
      return records.size();
    }

    @Override
    public synchronized List<Hit> search(float[] query, int k, Filter filter) {
      ensureOpen();
      if (k < 1) throw new IllegalArgumentException("k must be at least 1, got " + k + ".");
      QueryScorer scorer = QueryScorer.of(fingerprint.similarity(), query);
      List<Hit> hits = new ArrayList<>();
      for (Item it : records.values())
        if (filter.matches(it)) hits.add(Hit.of(it, scorer.score(it.embedding().vector())));
      hits.sort(Hit.ORDER);
      return List.copyOf(hits.subList(0, Math.min(k, hits.size())));
    }

    @Override
    public void forEach(Consumer<? super Item> action) {
      List<Item> copy;
      synchronized (this) {
        ensureOpen();
        copy = List.copyOf(records.values());
      }
      copy.forEach(action);
    }

    @Override
    public synchronized void commit() throws IOException {
      ensureOpen();
      if (readOnly) throw new IOException("The store in " + dir + " is open read-only.");
      for (String id : changed) {
        Item it = records.get(id);
        if (it == null) Files.deleteIfExists(file(id));
        else Files.write(file(id), bytes(it)); // the fault: no temp file, no rename, no journal
      }
      changed.clear();
    }

    @Override
    public synchronized void close() {
      closed = true; // uncommitted writes are discarded: the files hold the last commit
    }
  }
}
