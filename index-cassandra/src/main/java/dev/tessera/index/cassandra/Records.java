package dev.tessera.index.cassandra;

import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.data.CqlVector;
import dev.tessera.api.Embedding;
import dev.tessera.api.Item;
import dev.tessera.api.Metadata;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Source;
import dev.tessera.api.spi.MetadataCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a record is kept in a row of a record table: the vector as {@code vector<float, n>} (exact,
 * float for float), the metadata twice — as {@link MetadataCodec} bytes, which read back exactly,
 * and as {@link #terms} that SAI indexes so equality filters can be pushed down — and the source in
 * {@link Source#encode()} form.
 */
final class Records {
  /** The columns every read selects, in this order. */
  static final String COLUMNS = "id, modality, vector, meta, source";

  /** Longest string value indexed as a term; SAI refuses terms over a few kilobytes. */
  static final int MAX_TERM_LENGTH = 256;

  private Records() {}

  /** The record in {@code row} (selected with {@link #COLUMNS}). */
  static Item item(Row row, ModelFingerprint fp) {
    CqlVector<Float> v = row.getVector(2, Float.class);
    float[] vector = new float[v.size()];
    for (int i = 0; i < vector.length; i++) vector[i] = v.get(i);
    Modality m = Modality.parse(row.getString(1));
    return new Item(
        row.getString(0),
        new Embedding(vector, fp, m),
        metadata(row.getByteBuffer(3)),
        Source.decode(row.getString(4)));
  }

  /** The metadata of {@code row} (selected with {@link #COLUMNS}). */
  static Metadata metadata(Row row) {
    return metadata(row.getByteBuffer(3));
  }

  /** The id of {@code row}. */
  static String id(Row row) {
    return row.getString(0);
  }

  /** About how many bytes {@code it}'s row takes in a request. */
  static long estimatedBytes(Item it) {
    long n = 4L * it.embedding().dimension() + 16;
    for (Map.Entry<String, Object> e : it.metadata().asMap().entrySet()) {
      n += 2L * (3L * e.getKey().length() + 16);
      if (e.getValue() instanceof String s) n += 2L * 3L * s.length();
    }
    String src = it.source().encode();
    return n + 3L * src.length();
  }

  /** The vector of {@code item} as the driver binds it. */
  static CqlVector<Float> vector(float[] v) {
    List<Float> list = new ArrayList<>(v.length);
    for (float f : v) list.add(f);
    return CqlVector.newInstance(list);
  }

  static ByteBuffer metaBytes(Metadata m) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      MetadataCodec.write(new DataOutputStream(bytes), m);
      return ByteBuffer.wrap(bytes.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Metadata metadata(ByteBuffer b) {
    if (b == null) return Metadata.EMPTY;
    byte[] bytes = new byte[b.remaining()];
    b.duplicate().get(bytes);
    try {
      return MetadataCodec.read(new DataInputStream(new ByteArrayInputStream(bytes)));
    } catch (IOException e) {
      throw new UncheckedIOException("A record's metadata bytes are damaged", e);
    }
  }

  /**
   * The metadata as SAI terms: {@code s:key} for a string (up to {@value #MAX_TERM_LENGTH}
   * characters, non-empty), {@code b:key} for a boolean, {@code n:key} for a number in one
   * canonical decimal form, so {@code 2024}, {@code 2024.0} and {@code -0.0}/{@code 0} meet.
   */
  static Map<String, String> terms(Metadata m) {
    Map<String, String> out = new HashMap<>();
    for (Map.Entry<String, Object> e : m.asMap().entrySet()) {
      String t = term(e.getValue());
      if (t != null) out.put(termKey(e.getValue(), e.getKey()), t);
    }
    return out;
  }

  /** The term key of a value of this type under {@code key}. */
  static String termKey(Object value, String key) {
    return switch (value) {
      case String s -> "s:" + key;
      case Boolean b -> "b:" + key;
      default -> "n:" + key;
    };
  }

  /** The term of {@code value}, or null when it is not indexed. */
  static String term(Object value) {
    return switch (value) {
      case String s -> s.isEmpty() || s.length() > MAX_TERM_LENGTH ? null : s;
      case Boolean b -> b.toString();
      case Long l -> BigDecimal.valueOf(l).stripTrailingZeros().toPlainString();
      case Double d -> new BigDecimal(d).stripTrailingZeros().toPlainString();
      default -> null;
    };
  }

  // ------------------------------------------------------------------ journal form

  /**
   * Encodes a commit's writes: per id, the record (an upsert) or nothing (a delete). Strings are
   * length-prefixed UTF-8 so no size limit of {@code writeUTF} applies.
   */
  static byte[] encode(List<Map.Entry<String, Item>> ops) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(ops.size());
      for (Map.Entry<String, Item> op : ops) {
        writeString(out, op.getKey());
        Item it = op.getValue();
        out.writeBoolean(it != null);
        if (it == null) continue;
        out.writeByte(it.modality().ordinal());
        float[] v = it.embedding().vector();
        out.writeInt(v.length);
        for (float f : v) out.writeInt(Float.floatToRawIntBits(f));
        MetadataCodec.write(out, it.metadata());
        writeString(out, it.source().encode());
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Decodes what {@link #encode} wrote into {@code into} (id to record, or null for a delete). */
  static void decode(ByteBuffer b, ModelFingerprint fp, Map<String, Item> into) throws IOException {
    byte[] bytes = new byte[b.remaining()];
    b.duplicate().get(bytes);
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      String id = readString(in);
      if (!in.readBoolean()) {
        into.put(id, null);
        continue;
      }
      Modality m = Modality.values()[in.readUnsignedByte()];
      float[] v = new float[in.readInt()];
      for (int d = 0; d < v.length; d++) v[d] = Float.intBitsToFloat(in.readInt());
      Metadata meta = MetadataCodec.read(in);
      Source s;
      try {
        s = Source.decode(readString(in));
      } catch (IllegalArgumentException e) {
        throw new IOException(e.getMessage(), e);
      }
      into.put(id, new Item(id, new Embedding(v, fp, m), meta, s));
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    int len = in.readInt();
    if (len < 0 || len > (1 << 26)) throw new IOException("bad string length " + len);
    byte[] b = new byte[len];
    in.readFully(b);
    return new String(b, java.nio.charset.StandardCharsets.UTF_8);
  }
}
