package dev.tessera.index.lucene;

import dev.tessera.api.Metadata;
import dev.tessera.api.Values;
import java.util.Arrays;
import org.apache.lucene.document.BinaryPoint;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.util.NumericUtils;

/**
 * How layout 2 indexes typed metadata so every {@link dev.tessera.api.Condition} is a Lucene query
 * ({@link ConditionQueries}): per key, strings as exact terms ({@value #STRING}key), booleans as
 * the terms {@code true} / {@code false} ({@value #BOOLEAN}key), numbers as one 16-byte point
 * ({@value #NUMBER}key, see {@link #numberKey}), and the present keys as terms of {@value #KEYS}.
 */
final class MetadataFields {
  /** Field prefix of a key's string values. */
  static final String STRING = "m.s.";

  /** Field prefix of a key's numeric values. */
  static final String NUMBER = "m.n.";

  /** Field prefix of a key's boolean values. */
  static final String BOOLEAN = "m.b.";

  /** One term per key present in the record's metadata. */
  static final String KEYS = "m.keys";

  /** Bytes of a {@link #numberKey}. */
  static final int NUMBER_BYTES = 16;

  private MetadataFields() {}

  /** Adds the indexed (not stored) fields of {@code metadata} to {@code doc}. */
  static void index(Metadata metadata, Document doc) {
    for (String key : metadata.keys()) {
      doc.add(new StringField(KEYS, key, Field.Store.NO));
      switch (metadata.get(key)) {
        case String s -> doc.add(new StringField(STRING + key, s, Field.Store.NO));
        case Boolean b -> doc.add(new StringField(BOOLEAN + key, b.toString(), Field.Store.NO));
        case Long l -> doc.add(new BinaryPoint(NUMBER + key, numberKey(l)));
        case Double d -> doc.add(new BinaryPoint(NUMBER + key, numberKey(d)));
        default -> throw new IllegalStateException("Metadata holds a " + metadata.get(key));
      }
    }
  }

  /**
   * The point of a number: one encoding for longs and doubles whose unsigned byte order is their
   * exact numeric order, and equal exactly when the numbers are ({@code 2024 = 2024.0}, {@code -0.0
   * = 0.0}, {@code 2^53+1 > 2^53} as a double). The first 8 bytes are the largest double not above
   * the number (sortable bits), the last 8 what the number exceeds it by (0 for a double, 0 to 2047
   * for a long that no double represents). Pairs order lexicographically like the numbers: a
   * smaller leading double means a smaller number, since the number lies below the next double.
   */
  static byte[] numberKey(Object number) {
    double floor;
    long rest = 0;
    if (number instanceof Long l) {
      floor = (double) l;
      if (Values.compareExact(l, floor) < 0) floor = Math.nextDown(floor);
      rest = l - (long) floor; // floor is in [-2^63, 2^63), so the cast is exact; rest < 2048
    } else if (number instanceof Double d) {
      floor = d == 0.0 ? 0.0 : d; // -0.0 == 0.0
    } else {
      throw new IllegalArgumentException("Not a number: " + number);
    }
    byte[] key = new byte[NUMBER_BYTES];
    NumericUtils.longToSortableBytes(NumericUtils.doubleToSortableLong(floor + 0.0), key, 0);
    NumericUtils.longToSortableBytes(rest, key, 8);
    return key;
  }

  /** The smallest point key. */
  static byte[] minKey() {
    return new byte[NUMBER_BYTES];
  }

  /** The largest point key. */
  static byte[] maxKey() {
    byte[] k = new byte[NUMBER_BYTES];
    Arrays.fill(k, (byte) 0xFF);
    return k;
  }

  /** {@code key + 1} as an unsigned number, or null when {@code key} is the largest. */
  static byte[] next(byte[] key) {
    byte[] k = key.clone();
    for (int i = k.length - 1; i >= 0; i--) {
      if (++k[i] != 0) return k;
    }
    return null;
  }

  /** {@code key - 1} as an unsigned number, or null when {@code key} is the smallest. */
  static byte[] previous(byte[] key) {
    byte[] k = key.clone();
    for (int i = k.length - 1; i >= 0; i--) {
      if (k[i]-- != 0) return k;
    }
    return null;
  }
}
