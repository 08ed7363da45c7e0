package dev.tessera.index.lucene;

import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Similarity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.ByteArrayDataInput;
import org.apache.lucene.store.ByteBuffersDataOutput;
import org.apache.lucene.util.BytesRef;

/**
 * How a record is laid out as a Lucene document. One vector field per modality, so CLIP's modality
 * gap can not split one HNSW graph into two poorly linked islands and a modality filter is a choice
 * of field rather than a filter; metadata equality terms in one indexed field; id, modality,
 * metadata and source as stored fields.
 */
final class Records {
  /** The record id: indexed as one term (replace and delete by it) and stored. */
  static final String ID = "id";

  /** The modality id, stored. */
  static final String MODALITY = "modality";

  /** One term per metadata entry, see {@link #metadataTerm}. */
  static final String METADATA = "meta";

  /** The metadata map, stored as key/value strings. */
  static final String METADATA_STORED = "meta.stored";

  /** The source in {@link dev.tessera.api.Source#encode()} form, stored. */
  static final String SOURCE = "source";

  private final FieldType[] vectorTypes = new FieldType[Modality.values().length];

  Records(ModelFingerprint fingerprint) {
    VectorSimilarityFunction f = luceneSimilarity(fingerprint);
    for (Modality m : Modality.values())
      vectorTypes[m.ordinal()] = KnnFloatVectorField.createFieldType(fingerprint.dimension(), f);
  }

  /** The vector field of a modality. */
  static String vectorField(Modality modality) {
    return "vector." + modality.id();
  }

  /**
   * The Lucene similarity the HNSW graph is built and walked with. Scores are always recomputed
   * exactly with Tessera's kernels, so this only has to order neighbours the same way: unit vectors
   * use the cheaper dot product for cosine; raw dot products need Lucene's maximum inner product,
   * which accepts any length; euclidean is euclidean.
   */
  static VectorSimilarityFunction luceneSimilarity(ModelFingerprint fp) {
    Similarity s = fp.similarity();
    return switch (s) {
      case COSINE ->
          fp.normalized() ? VectorSimilarityFunction.DOT_PRODUCT : VectorSimilarityFunction.COSINE;
      case DOT_PRODUCT ->
          fp.normalized()
              ? VectorSimilarityFunction.DOT_PRODUCT
              : VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;
      case EUCLIDEAN -> VectorSimilarityFunction.EUCLIDEAN;
    };
  }

  /** The term that deletes or replaces the record with this id. */
  static Term idTerm(String id) {
    return new Term(ID, id);
  }

  /**
   * The indexed term of one metadata entry: the key's length, a colon, the key, then the value. The
   * length makes the split unambiguous whatever characters keys and values hold.
   */
  static String metadataTerm(String key, String value) {
    return key.length() + ":" + key + value;
  }

  /** The document of {@code item}. */
  Document document(Item item) {
    Document doc = new Document();
    doc.add(new StringField(ID, item.id(), Field.Store.YES));
    Modality m = item.modality();
    doc.add(new StoredField(MODALITY, m.id()));
    doc.add(
        new KnnFloatVectorField(
            vectorField(m), item.embedding().vector(), vectorTypes[m.ordinal()]));
    if (!item.metadata().isEmpty()) {
      for (Map.Entry<String, String> e : item.metadata().entrySet()) {
        doc.add(new StringField(METADATA, metadataTerm(e.getKey(), e.getValue()), Field.Store.NO));
      }
      doc.add(new StoredField(METADATA_STORED, encodeMetadata(item.metadata())));
    }
    doc.add(new StoredField(SOURCE, item.source().encode()));
    return doc;
  }

  static BytesRef encodeMetadata(Map<String, String> metadata) {
    ByteBuffersDataOutput out = new ByteBuffersDataOutput();
    try {
      out.writeVInt(metadata.size());
      for (Map.Entry<String, String> e : metadata.entrySet()) {
        out.writeString(e.getKey());
        out.writeString(e.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // an in-memory output does not fail
    }
    return new BytesRef(out.toArrayCopy());
  }

  static Map<String, String> decodeMetadata(BytesRef bytes) {
    if (bytes == null) return Map.of();
    ByteArrayDataInput in = new ByteArrayDataInput(bytes.bytes, bytes.offset, bytes.length);
    int n = in.readVInt();
    Map<String, String> m = new TreeMap<>();
    try {
      for (int i = 0; i < n; i++) m.put(in.readString(), in.readString());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // an in-memory input does not fail
    }
    return m;
  }
}
