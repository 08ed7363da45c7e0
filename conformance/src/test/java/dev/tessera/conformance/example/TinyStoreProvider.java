package dev.tessera.conformance.example;

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
import dev.tessera.api.search.QueryScorer;
import dev.tessera.api.spi.AtomicFiles;
import dev.tessera.api.spi.MetadataCodec;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import dev.tessera.api.spi.VectorStoreProvider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * The smallest honest backend, as a third party might start one: a map under one lock, exact
 * search, and one CRC32-checked file rewritten atomically on commit. It exists to show that the
 * README's recipe is all a backend needs to run the kit.
 */
public final class TinyStoreProvider implements VectorStoreProvider {
  @Override
  public String name() {
    return "tiny";
  }

  @Override
  public String description() {
    return "example backend of the conformance README";
  }

  @Override
  public VectorStore create(StoreContext context, ModelFingerprint fingerprint) throws IOException {
    TinyStore s =
        new TinyStore(context.directory().resolve("tiny.bin"), fingerprint, new LinkedHashMap<>());
    s.commit();
    return s;
  }

  @Override
  public VectorStore open(StoreContext context) throws IOException {
    Path file = context.directory().resolve("tiny.bin");
    byte[] bytes = Files.readAllBytes(file);
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, Math.max(0, bytes.length - 8));
    if (bytes.length < 8
        || crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong()) {
      throw new CorruptCollectionException(
          file + " fails its CRC32 check: it is damaged; restore it from a backup.");
    }
    try (DataInputStream in =
        new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 8))) {
      ModelFingerprint fp = ModelFingerprint.parse(in.readUTF());
      LinkedHashMap<String, Item> records = new LinkedHashMap<>();
      for (int n = in.readInt(); n > 0; n--) {
        String id = in.readUTF();
        Modality m = Modality.values()[in.readByte()];
        float[] v = new float[fp.dimension()];
        for (int i = 0; i < v.length; i++) v[i] = in.readFloat();
        Metadata meta = MetadataCodec.read(in);
        records.put(id, new Item(id, new Embedding(v, fp, m), meta, Source.decode(in.readUTF())));
      }
      return new TinyStore(file, fp, records);
    }
  }

  private static final class TinyStore implements VectorStore {
    private final Path file;
    private final ModelFingerprint fingerprint;
    private final LinkedHashMap<String, Item> records;
    private boolean closed;

    TinyStore(Path file, ModelFingerprint fingerprint, LinkedHashMap<String, Item> records) {
      this.file = file;
      this.fingerprint = fingerprint;
      this.records = records;
    }

    private void ensureOpen() {
      if (closed) throw new ClosedException("The tiny store " + file);
    }

    @Override
    public synchronized ModelFingerprint fingerprint() {
      ensureOpen();
      return fingerprint;
    }

    @Override
    public synchronized void upsert(List<Item> items) {
      ensureOpen();
      for (Item it : items) records.put(it.id(), it);
    }

    @Override
    public synchronized void delete(List<String> ids) {
      ensureOpen();
      ids.forEach(records::remove);
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
      List<Hit> hits = new ArrayList<>();
      for (Item it : records.values()) {
        if (filter.matches(it))
          hits.add(
              Hit.of(
                  it,
                  QueryScorer.of(fingerprint.similarity(), query).score(it.embedding().vector())));
      }
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
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeUTF(fingerprint.canonical());
        out.writeInt(records.size());
        for (Item it : records.values()) {
          out.writeUTF(it.id());
          out.writeByte(it.modality().ordinal());
          for (float x : it.embedding().vector()) out.writeFloat(x);
          MetadataCodec.write(out, it.metadata());
          out.writeUTF(it.source().encode());
        }
        CRC32 crc = new CRC32(); // a flipped byte must be refused, never read as data
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
      }
      AtomicFiles.write(
          file,
          bytes.toByteArray()); // temp file, fsync, atomic rename: a crash keeps the last commit
    }

    @Override
    public synchronized void close() {
      closed = true;
    }
  }
}
