package dev.tessera.index.lucene;

import dev.tessera.api.CorruptCollectionException;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Metadata;
import dev.tessera.api.Modality;
import dev.tessera.api.Source;
import dev.tessera.api.spi.MetadataCodec;
import java.io.IOException;
import java.util.List;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.ByteArrayDataInput;
import org.apache.lucene.store.ByteBuffersDataOutput;
import org.apache.lucene.util.BytesRef;

/**
 * What a hit returns (id, metadata, source) kept a second time as one binary doc value per record,
 * so a search reads its k hits without decompressing a stored-fields block for each (19% of the
 * store's search time at 100k, measured with JFR). Additive and optional per record: a record
 * written before this field existed, or one whose payload is over {@value #MAX_BYTES} bytes, has no
 * value and is read from its stored fields, which stay the record's full copy; older code that does
 * not know the field ignores it. So the layout version does not change.
 */
final class HitValues {
  private HitValues() {}

  /** The doc-values field. */
  static final String FIELD = "hit";

  /** Records with a larger payload (long texts as their source) keep only their stored fields. */
  static final int MAX_BYTES = 1024;

  /** The field for {@code item}, or null when its payload is over {@link #MAX_BYTES}. */
  static BinaryDocValuesField field(Item item) {
    try {
      ByteBuffersDataOutput out = new ByteBuffersDataOutput();
      out.writeString(item.id());
      byte[] meta =
          item.metadata().isEmpty() ? new byte[0] : MetadataCodec.toBytes(item.metadata());
      out.writeVInt(meta.length);
      out.writeBytes(meta, meta.length);
      out.writeString(item.source().encode());
      if (out.size() > MAX_BYTES) return null;
      return new BinaryDocValuesField(FIELD, new BytesRef(out.toArrayCopy()));
    } catch (IOException e) {
      throw new AssertionError("ByteBuffersDataOutput does not throw", e);
    }
  }

  /** The hit of global {@code doc} (found in modality {@code m}) from its doc value, or null. */
  static Hit hit(IndexSearcher s, int doc, float score, Modality m) throws IOException {
    BytesRef b = value(s, doc);
    if (b == null) return null;
    ByteArrayDataInput in = new ByteArrayDataInput(b.bytes, b.offset, b.length);
    String id = in.readString();
    int metaLength = in.readVInt();
    Metadata metadata = Metadata.EMPTY;
    if (metaLength > 0) {
      try {
        metadata = MetadataCodec.fromBytes(b.bytes, b.offset + in.getPosition(), metaLength);
      } catch (IOException e) {
        throw new CorruptCollectionException(
            "A record's metadata doc value is damaged ("
                + e.getMessage()
                + "): restore the collection from a backup or reindex it.",
            e);
      }
    }
    in.skipBytes(metaLength);
    Source source = Source.decode(in.readString());
    return new Hit(id, score, m, metadata, source);
  }

  /** The id of global {@code doc} from its doc value, or null when it has none. */
  static String id(IndexSearcher s, int doc) throws IOException {
    BytesRef b = value(s, doc);
    if (b == null) return null;
    return new ByteArrayDataInput(b.bytes, b.offset, b.length).readString();
  }

  private static BytesRef value(IndexSearcher s, int doc) throws IOException {
    List<LeafReaderContext> leaves = s.getIndexReader().leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
    // doc values iterate forward only; a fresh iterator per record costs less than ordering hits
    BinaryDocValues values = leaf.reader().getBinaryDocValues(FIELD);
    if (values == null || !values.advanceExact(doc - leaf.docBase)) return null;
    return values.binaryValue();
  }
}
