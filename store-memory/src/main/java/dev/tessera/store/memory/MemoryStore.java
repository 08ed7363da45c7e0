package dev.tessera.store.memory;

import dev.tessera.api.ClosedException;
import dev.tessera.api.CorruptCollectionException;
import dev.tessera.api.Embedding;
import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Metadata;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Source;
import dev.tessera.api.TesseraException;
import dev.tessera.api.search.QueryScorer;
import dev.tessera.api.search.TopK;
import dev.tessera.api.spi.AtomicFiles;
import dev.tessera.api.spi.MetadataCodec;
import dev.tessera.api.spi.StoreSamples;
import dev.tessera.api.spi.VectorStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * Exact search over every record with the api's scorer and top-k collector. Each commit writes the
 * whole state to one snapshot file (CRC32-checked, atomic rename), so a crash leaves the last
 * committed state. Reads work on an immutable matrix rebuilt after writes.
 */
final class MemoryStore implements VectorStore {
  static final String FILE = "memory.snapshot";
  private static final byte[] MAGIC_V1 = "TSRMEM01".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MAGIC = "TSRMEM02".getBytes(StandardCharsets.US_ASCII);

  private final Path directory;
  private final ModelFingerprint fingerprint;
  private final boolean readOnly;
  private final LinkedHashMap<String, Item> records;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final ReentrantLock commitLock = new ReentrantLock();
  private long version;
  private volatile Matrix matrix;
  private volatile boolean closed;

  /** An immutable, contiguous copy of all vectors for the bulk scorer. */
  private record Matrix(long version, Item[] items, float[] data, float[] norms) {}

  private MemoryStore(
      Path directory,
      ModelFingerprint fingerprint,
      LinkedHashMap<String, Item> records,
      boolean readOnly) {
    this.directory = directory;
    this.fingerprint = fingerprint;
    this.records = records;
    this.readOnly = readOnly;
  }

  static MemoryStore create(Path dir, ModelFingerprint fingerprint) throws IOException {
    MemoryStore s = new MemoryStore(dir, fingerprint, new LinkedHashMap<>(), false);
    s.commit();
    return s;
  }

  static MemoryStore open(Path dir, boolean readOnly) throws IOException {
    Path file = dir.resolve(FILE);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CorruptCollectionException(
          "The memory store in "
              + dir
              + " has no "
              + FILE
              + ": it was never created there or the file was removed.");
    }
    if (bytes.length < MAGIC.length + 8) {
      throw new CorruptCollectionException(file + " is truncated (" + bytes.length + " bytes).");
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 8);
    long stored = 0;
    for (int i = bytes.length - 8; i < bytes.length; i++)
      stored = (stored << 8) | (bytes[i] & 0xff);
    if (crc.getValue() != stored) {
      throw new CorruptCollectionException(
          file + " fails its CRC32 check: it is damaged or truncated.");
    }
    try (DataInputStream in =
        new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 8))) {
      byte[] magic = in.readNBytes(MAGIC.length);
      boolean v1 = Arrays.equals(magic, MAGIC_V1);
      if (!v1 && !Arrays.equals(magic, MAGIC)) {
        throw new CorruptCollectionException(file + " is not a memory-store snapshot.");
      }
      ModelFingerprint fp = ModelFingerprint.parse(readString(in));
      int n = in.readInt();
      LinkedHashMap<String, Item> records = new LinkedHashMap<>();
      for (int r = 0; r < n; r++) {
        String id = readString(in);
        Modality modality = Modality.values()[in.readByte()];
        float[] v = new float[in.readInt()];
        for (int i = 0; i < v.length; i++) v[i] = in.readFloat();
        Metadata meta = v1 ? readStringMetadata(in) : MetadataCodec.read(in);
        Source source = Source.decode(readString(in));
        records.put(id, new Item(id, new Embedding(v, fp, modality), meta, source));
      }
      return new MemoryStore(dir, fp, records, readOnly);
    } catch (EOFException | IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
      throw new CorruptCollectionException(file + " is malformed: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new CorruptCollectionException(file + " is malformed: " + e.getMessage(), e);
    }
  }

  /** Metadata of a version-1 snapshot, written before metadata was typed: strings only. */
  private static Metadata readStringMetadata(DataInputStream in) throws IOException {
    int m = in.readInt();
    Map<String, Object> meta = new TreeMap<>();
    for (int i = 0; i < m; i++) meta.put(readString(in), readString(in));
    return Metadata.of(meta);
  }

  @Override
  public ModelFingerprint fingerprint() {
    ensureOpen();
    return fingerprint;
  }

  @Override
  public void upsert(List<Item> items) {
    lock.writeLock().lock();
    try {
      ensureWritable();
      for (Item item : items) {
        records.remove(item.id());
        records.put(item.id(), item);
      }
      version++;
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public void delete(List<String> ids) {
    lock.writeLock().lock();
    try {
      ensureWritable();
      for (String id : ids) records.remove(id);
      version++;
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public Optional<Item> get(String id) {
    lock.readLock().lock();
    try {
      ensureOpen();
      return Optional.ofNullable(records.get(id));
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public long count() {
    lock.readLock().lock();
    try {
      ensureOpen();
      return records.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public List<Hit> search(float[] query, int k, Filter filter) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1, got " + k + ".");
    }
    Matrix mx = matrix();
    int n = mx.items.length;
    float[] scores = new float[n];
    QueryScorer.of(fingerprint.similarity(), query).scoreBulk(mx.data, n, mx.norms, scores);
    TopK<Item> top = new TopK<>(k, Item::id);
    for (int i = 0; i < n; i++) {
      Item item = mx.items[i];
      if (top.competes(scores[i]) && filter.matches(item)) top.offer(item, scores[i], item.id());
    }
    List<Hit> hits = new ArrayList<>(top.size());
    for (TopK.Scored<Item> s : top.results()) hits.add(Hit.of(s.item(), s.score()));
    return hits;
  }

  @Override
  public void forEach(Consumer<? super Item> action) {
    for (Item item : matrix().items) action.accept(item);
  }

  @Override
  public void forEachRecord(RecordVisitor visitor) {
    for (Item i : matrix().items) visitor.visit(i.id(), i.modality(), i.metadata(), i.source());
  }

  @Override
  public List<float[]> sample(Modality modality, int n) {
    Item[] items = matrix().items;
    List<Item> of = new ArrayList<>();
    for (Item i : items) {
      if (i.modality() == modality) of.add(i);
    }
    List<float[]> out = new ArrayList<>();
    for (long p : StoreSamples.evenlySpaced(of.size(), n)) {
      out.add(of.get((int) p).embedding().vector());
    }
    return out;
  }

  @Override
  public void commit() throws IOException {
    commitLock.lock();
    try {
      List<Item> snapshot;
      lock.readLock().lock();
      try {
        ensureWritable();
        snapshot = new ArrayList<>(records.values());
      } finally {
        lock.readLock().unlock();
      }
      AtomicFiles.write(directory.resolve(FILE), serialize(snapshot));
    } finally {
      commitLock.unlock();
    }
  }

  @Override
  public void close() {
    closed = true;
    matrix = null;
  }

  private Matrix matrix() {
    Matrix mx = matrix;
    lock.readLock().lock();
    try {
      ensureOpen();
      if (mx != null && mx.version == version) return mx;
      Item[] items = records.values().toArray(new Item[0]);
      int dim = fingerprint.dimension();
      float[] data = new float[items.length * dim];
      float[] norms = new float[items.length];
      for (int i = 0; i < items.length; i++) {
        float[] v = items[i].embedding().vector();
        System.arraycopy(v, 0, data, i * dim, dim);
        norms[i] = QueryScorer.norm(v);
      }
      mx = new Matrix(version, items, data, norms);
      matrix = mx;
      return mx;
    } finally {
      lock.readLock().unlock();
    }
  }

  private byte[] serialize(List<Item> items) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(MAGIC);
      writeString(out, fingerprint.canonical());
      out.writeInt(items.size());
      for (Item item : items) {
        writeString(out, item.id());
        out.writeByte(item.modality().ordinal());
        float[] v = item.embedding().vector();
        out.writeInt(v.length);
        for (float x : v) out.writeFloat(x);
        MetadataCodec.write(out, item.metadata());
        writeString(out, item.source().encode());
      }
    }
    CRC32 crc = new CRC32();
    byte[] body = bytes.toByteArray();
    crc.update(body);
    long c = crc.getValue();
    for (int i = 7; i >= 0; i--) bytes.write((int) (c >>> (8 * i)));
    return bytes.toByteArray();
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available()) {
      throw new EOFException("string of " + n + " bytes runs past the end");
    }
    return new String(in.readNBytes(n), StandardCharsets.UTF_8);
  }

  private void ensureOpen() {
    if (closed) throw new ClosedException("The memory store in " + directory);
  }

  private void ensureWritable() {
    ensureOpen();
    if (readOnly) {
      throw new TesseraException(
          "The memory store in "
              + directory
              + " was opened read-only; open it writable to change it.");
    }
  }
}
