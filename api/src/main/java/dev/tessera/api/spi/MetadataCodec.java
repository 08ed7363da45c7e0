package dev.tessera.api.spi;

import dev.tessera.api.Metadata;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One binary form of {@link Metadata} for stores that keep it as bytes, so every store reads back
 * exactly the typed values it was given: a count, then per entry the key, a type tag and the value
 * (strings as length-prefixed UTF-8, longs as 8 bytes, doubles as their 8-byte IEEE bits, booleans
 * as one byte). Big-endian, as {@link DataOutput} writes.
 */
public final class MetadataCodec {
  private static final int STRING = 0;
  private static final int LONG = 1;
  private static final int DOUBLE = 2;
  private static final int BOOLEAN = 3;

  private MetadataCodec() {}

  /** Writes {@code metadata} to {@code out}. */
  public static void write(DataOutput out, Metadata metadata) throws IOException {
    out.writeShort(metadata.size());
    for (String key : metadata.keys()) {
      writeString(out, key);
      switch (metadata.get(key)) {
        case String s -> {
          out.writeByte(STRING);
          writeString(out, s);
        }
        case Long l -> {
          out.writeByte(LONG);
          out.writeLong(l);
        }
        case Double d -> {
          out.writeByte(DOUBLE);
          out.writeLong(Double.doubleToRawLongBits(d));
        }
        case Boolean b -> {
          out.writeByte(BOOLEAN);
          out.writeBoolean(b);
        }
        default -> throw new IllegalStateException("not a metadata value: " + metadata.get(key));
      }
    }
  }

  /**
   * Reads metadata written by {@link #write}; malformed bytes throw {@link IOException} (a store
   * reports it as damage).
   */
  public static Metadata read(DataInput in) throws IOException {
    int n = in.readUnsignedShort();
    if (n > Metadata.MAX_ENTRIES) throw new IOException("metadata claims " + n + " entries");
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String key = readString(in);
      int type = in.readUnsignedByte();
      Object v =
          switch (type) {
            case STRING -> readString(in);
            case LONG -> in.readLong();
            case DOUBLE -> Double.longBitsToDouble(in.readLong());
            case BOOLEAN -> in.readBoolean();
            default -> throw new IOException("unknown metadata type tag " + type);
          };
      m.put(key, v);
    }
    try {
      return Metadata.of(m);
    } catch (IllegalArgumentException e) {
      throw new IOException("stored metadata is invalid: " + e.getMessage(), e);
    }
  }

  /** {@code metadata} as bytes. */
  public static byte[] toBytes(Metadata metadata) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      write(out, metadata);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Reads bytes made by {@link #toBytes}; malformed bytes throw {@link IOException}. */
  public static Metadata fromBytes(byte[] bytes, int offset, int length) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, offset, length));
    Metadata m = read(in);
    if (in.available() != 0) throw new IOException(in.available() + " bytes after the metadata");
    return m;
  }

  private static void writeString(DataOutput out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInput in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 4 * Metadata.MAX_VALUE_LENGTH)
      throw new IOException("string of " + n + " bytes");
    byte[] b = new byte[n];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
