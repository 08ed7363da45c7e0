package dev.tessera.index.jvector;

import dev.tessera.api.CorruptCollectionException;
import dev.tessera.api.Metadata;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Source;
import dev.tessera.api.spi.AtomicFiles;
import dev.tessera.api.spi.MetadataCodec;
import io.github.jbellis.jvector.disk.RandomAccessReader;
import io.github.jbellis.jvector.disk.ReaderSupplier;
import io.github.jbellis.jvector.disk.ReaderSupplierFactory;
import io.github.jbellis.jvector.disk.SimpleWriter;
import io.github.jbellis.jvector.graph.OnHeapGraphIndex;
import io.github.jbellis.jvector.graph.disk.OnDiskGraphIndex;
import io.github.jbellis.jvector.quantization.ProductQuantization;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/** The file codec: one generation's records, vectors, graph and PQ files, written and read. */
final class GenerationFiles {
  /** Records files before metadata was typed: string values only. */
  private static final byte[] RECORDS_MAGIC_V1 = "TSRJVR01".getBytes(StandardCharsets.US_ASCII);

  private static final byte[] RECORDS_MAGIC = "TSRJVR02".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] VECTORS_MAGIC = "TSRJVV01".getBytes(StandardCharsets.US_ASCII);

  private final Path dir;
  private final RecordTable records;
  private final Graphs graphs;

  GenerationFiles(Path dir, RecordTable records, Graphs graphs) {
    this.dir = dir;
    this.records = records;
    this.graphs = graphs;
  }

  private static String prefix(long generation) {
    return "g" + generation + ".";
  }

  // ---------------------------------------------------------------- write

  /** Writes and fsyncs every file of generation {@code gen}; returns their names and sums. */
  @SuppressWarnings("deprecation") // OnHeapGraphIndex.save: the on-heap format load() reads back
  Map<String, Manifest.FileSum> write(long gen) throws IOException {
    Map<String, Manifest.FileSum> files = new TreeMap<>();
    String prefix = prefix(gen);
    files.put(prefix + "records", writeFile(prefix + "records", this::writeRecords));
    files.put(prefix + "vectors", writeFile(prefix + "vectors", this::writeVectors));
    for (int g = 0; g < graphs.count(); g++) {
      OnHeapGraphIndex graph = (OnHeapGraphIndex) graphs.graph(g);
      if (graph.size(0) == 0) continue;
      files.put(prefix + graphs.name(g), writeFile(prefix + graphs.name(g), graph::save));
    }
    ProductQuantization pq = graphs.pq();
    if (pq != null) {
      Path p = dir.resolve(prefix + "pq");
      try (SimpleWriter w = new SimpleWriter(p)) {
        pq.write(w, OnDiskGraphIndex.CURRENT_VERSION);
      }
      syncFile(p);
      files.put(prefix + "pq", new Manifest.FileSum(Files.size(p), Manifest.crcOf(p)));
    }
    return files;
  }

  private interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  private Manifest.FileSum writeFile(String name, Body body) throws IOException {
    Path p = dir.resolve(name);
    CRC32 crc = new CRC32();
    long size;
    try (FileOutputStream fos = new FileOutputStream(p.toFile())) {
      CountingStream counting = new CountingStream(new CheckedOutputStream(fos, crc));
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(counting, 1 << 16));
      body.write(out);
      out.flush();
      size = counting.count;
      fos.getChannel().force(true);
    }
    return new Manifest.FileSum(size, crc.getValue());
  }

  private static void syncFile(Path p) throws IOException {
    try (var ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  private static final class CountingStream extends FilterOutputStream {
    long count;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }

  private void writeRecords(DataOutputStream out) throws IOException {
    out.write(RECORDS_MAGIC);
    out.writeInt(records.size());
    for (int ord = 0; ord < records.nextOrd(); ord++) {
      RecordTable.Rec r = records.rec(ord);
      if (r == null) continue;
      out.writeInt(ord);
      out.writeByte(r.modality().ordinal());
      writeString(out, r.id());
      MetadataCodec.write(out, r.metadata());
      writeString(out, r.source().encode());
    }
  }

  private void writeVectors(DataOutputStream out) throws IOException {
    int dim = records.dimension();
    out.write(VECTORS_MAGIC);
    out.writeInt(dim);
    out.writeInt(records.size());
    ByteBuffer buf = ByteBuffer.allocate(dim * Float.BYTES);
    for (int ord = 0; ord < records.nextOrd(); ord++) {
      if (records.rec(ord) == null) continue;
      out.writeInt(ord);
      buf.clear();
      buf.asFloatBuffer().put(records.vector(ord));
      out.write(buf.array());
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  /** Switches the manifest to generation {@code gen}, whose files were written and synced. */
  void switchManifest(
      long gen,
      Map<String, Manifest.FileSum> files,
      JVectorSettings settings,
      ModelFingerprint fingerprint)
      throws IOException {
    AtomicFiles.syncDirectory(dir);
    Map<String, String> entries = new TreeMap<>(settings.buildEntries());
    entries.put("fingerprint", fingerprint.canonical());
    entries.put("next-ordinal", Integer.toString(records.nextOrd()));
    new Manifest(gen, entries, files).write(dir);
  }

  // ---------------------------------------------------------------- read

  /** The fingerprint a manifest records. */
  static ModelFingerprint fingerprintOf(Manifest m, Path dir) {
    try {
      return ModelFingerprint.parse(m.entries().get("fingerprint"));
    } catch (RuntimeException ex) {
      throw garbled(dir, ex);
    }
  }

  /** The build settings a manifest records (search settings at their defaults). */
  static JVectorSettings buildSettingsOf(Manifest m, Path dir) {
    Map<String, String> e = m.entries();
    try {
      return new JVectorSettings(
          Integer.parseInt(e.get(JVectorSettings.MAX_DEGREE)),
          Integer.parseInt(e.get(JVectorSettings.BEAM_WIDTH)),
          Double.parseDouble(e.get(JVectorSettings.ALPHA)),
          Double.parseDouble(e.get(JVectorSettings.NEIGHBOR_OVERFLOW)),
          Boolean.parseBoolean(e.get(JVectorSettings.HIERARCHY)),
          Boolean.parseBoolean(e.get(JVectorSettings.GRAPH_PER_MODALITY)),
          0,
          0,
          Integer.parseInt(e.get(JVectorSettings.PQ_SUBSPACES)),
          true);
    } catch (RuntimeException ex) {
      throw garbled(dir, ex);
    }
  }

  private static CorruptCollectionException garbled(Path dir, RuntimeException ex) {
    return new CorruptCollectionException(
        dir.resolve(Manifest.FILE)
            + " lacks or garbles its fingerprint or build settings: "
            + ex.getMessage(),
        ex);
  }

  /** Fills the (empty) record table, graphs and PQ codes from the generation {@code m} names. */
  void read(Manifest m) throws IOException {
    String prefix = prefix(m.generation());
    int next;
    try {
      next = Integer.parseInt(m.entries().get("next-ordinal"));
    } catch (RuntimeException e) {
      throw new CorruptCollectionException(dir.resolve(Manifest.FILE) + " lacks next-ordinal.", e);
    }
    records.setNextOrd(next);
    readRecords(dir.resolve(prefix + "records"), next);
    readVectors(dir.resolve(prefix + "vectors"), next);
    for (int g = 0; g < graphs.count(); g++) {
      Path gf = dir.resolve(prefix + graphs.name(g));
      if (!m.files().containsKey(gf.getFileName().toString())) continue;
      try (ReaderSupplier rs = ReaderSupplierFactory.open(gf);
          RandomAccessReader r = rs.get()) {
        graphs.load(g, r);
      } catch (CorruptCollectionException e) {
        throw e;
      } catch (IOException | RuntimeException e) {
        throw new CorruptCollectionException(gf + " could not be read as a JVector graph: " + e, e);
      }
    }
    Path pqFile = dir.resolve(prefix + "pq");
    if (m.files().containsKey(pqFile.getFileName().toString())) {
      try (ReaderSupplier rs = ReaderSupplierFactory.open(pqFile);
          RandomAccessReader r = rs.get()) {
        graphs.usePq(ProductQuantization.load(r));
      }
    }
  }

  private void readRecords(Path recFile, int next) throws IOException {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(recFile), 1 << 16))) {
      byte[] magic = in.readNBytes(RECORDS_MAGIC.length);
      boolean v1 = Arrays.equals(magic, RECORDS_MAGIC_V1);
      if (!v1 && !Arrays.equals(magic, RECORDS_MAGIC)) {
        throw new CorruptCollectionException(recFile + " is not a jvector records file.");
      }
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        int ord = in.readInt();
        if (ord < 0 || ord >= next || records.rec(ord) != null)
          throw new CorruptCollectionException(recFile + " holds an invalid ordinal " + ord + ".");
        Modality modality = Modality.values()[in.readByte()];
        String id = readString(in, recFile);
        Metadata meta = v1 ? readStringMetadata(in, recFile) : MetadataCodec.read(in);
        Source source = Source.decode(readString(in, recFile));
        records.put(ord, new RecordTable.Rec(id, modality, meta, source));
      }
      records.index().seal();
    } catch (CorruptCollectionException e) {
      throw e;
    } catch (IOException | IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
      throw new CorruptCollectionException(recFile + " is malformed: " + e, e);
    }
  }

  private void readVectors(Path vecFile, int next) throws IOException {
    int dim = records.dimension();
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(vecFile), 1 << 16))) {
      if (!Arrays.equals(in.readNBytes(VECTORS_MAGIC.length), VECTORS_MAGIC)
          || in.readInt() != dim) {
        throw new CorruptCollectionException(
            vecFile + " is not a jvector vectors file of dimension " + dim + ".");
      }
      int n = in.readInt();
      if (n != records.size())
        throw new CorruptCollectionException(
            vecFile + " holds " + n + " vectors for " + records.size() + " records.");
      byte[] buf = new byte[dim * Float.BYTES];
      for (int i = 0; i < n; i++) {
        int ord = in.readInt();
        if (ord < 0 || ord >= next || records.rec(ord) == null || records.vector(ord) != null) {
          throw new CorruptCollectionException(
              vecFile + " holds a vector for an unknown ordinal " + ord + ".");
        }
        in.readFully(buf);
        float[] v = new float[dim];
        ByteBuffer.wrap(buf).asFloatBuffer().get(v);
        records.setVector(ord, v);
      }
    } catch (EOFException e) {
      throw new CorruptCollectionException(vecFile + " is truncated.", e);
    }
  }

  private static String readString(DataInputStream in, Path file) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > (1 << 24))
      throw new CorruptCollectionException(
          file + " holds a string of " + n + " bytes: it is damaged.");
    byte[] b = in.readNBytes(n);
    if (b.length != n) throw new EOFException();
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Metadata in a version-1 records file: string entries, before metadata was typed. */
  private static Metadata readStringMetadata(DataInputStream in, Path file) throws IOException {
    int mc = in.readInt();
    Map<String, Object> meta = new TreeMap<>();
    for (int j = 0; j < mc; j++) meta.put(readString(in, file), readString(in, file));
    return Metadata.of(meta);
  }

  /** Continues from the graphs of generation {@code gen} just written (see the store's commit). */
  void reloadGraphs(long gen, Map<String, Manifest.FileSum> files) throws IOException {
    for (int g = 0; g < graphs.count(); g++) {
      String name = prefix(gen) + graphs.name(g);
      if (!files.containsKey(name)) {
        graphs.reload(g, null);
        continue;
      }
      try (ReaderSupplier rs = ReaderSupplierFactory.open(dir.resolve(name));
          RandomAccessReader r = rs.get()) {
        graphs.reload(g, r);
      }
    }
  }

  /** Deletes every generation file not in {@code keep}: older ones, or a crashed commit's. */
  void deleteOtherGenerations(Set<String> keep) throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "g*.*")) {
      for (Path p : ds) {
        if (!keep.contains(p.getFileName().toString())) Files.deleteIfExists(p);
      }
    }
  }
}
