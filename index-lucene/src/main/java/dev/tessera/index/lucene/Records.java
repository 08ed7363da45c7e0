package dev.tessera.index.lucene;

import dev.tessera.api.CorruptCollectionException;
import dev.tessera.api.Item;
import dev.tessera.api.Metadata;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Similarity;
import dev.tessera.api.spi.MetadataCodec;
import java.io.IOException;
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
import org.apache.lucene.util.BytesRef;

/**
 * How a record is laid out as a Lucene document. One vector field per modality, so CLIP's modality
 * gap can not split one HNSW graph into two poorly linked islands and a modality filter is a choice
 * of field rather than a filter; metadata indexed for filters ({@link MetadataFields}; layout 1:
 * string-equality terms in one field); id, modality, metadata and source as stored fields.
 */
final class Records {
  /** The record id: indexed as one term (replace and delete by it) and stored. */
  static final String ID = "id";

  /** The modality id, stored. */
  static final String MODALITY = "modality";

  /** One term per metadata entry, see {@link #metadataTerm}. */
  static final String METADATA = "meta";

  /** The metadata map as stored before metadata was typed: key/value strings. */
  static final String METADATA_STORED_V1 = "meta.stored";

  /** The metadata, stored in the api's {@link MetadataCodec} form. */
  static final String METADATA_STORED = "meta.typed";

  /** The source in {@link dev.tessera.api.Source#encode()} form, stored. */
  static final String SOURCE = "source";

  private final FieldType[] vectorTypes = new FieldType[Modality.values().length];
  private final boolean nativeFilters;

  /**
   * The layout of a store; {@code nativeFilters} true writes layout 2 ({@link MetadataFields}),
   * false layout 1 (string-equality terms in {@link #METADATA}), for stores created before.
   */
  Records(ModelFingerprint fingerprint, boolean nativeFilters) {
    this.nativeFilters = nativeFilters;
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
      if (nativeFilters) MetadataFields.index(item.metadata(), doc);
      else indexLayout1(item.metadata(), doc);
      doc.add(
          new StoredField(METADATA_STORED, new BytesRef(MetadataCodec.toBytes(item.metadata()))));
    }
    doc.add(new StoredField(SOURCE, item.source().encode()));
    var hit = HitValues.field(item);
    if (hit != null) doc.add(hit);
    return doc;
  }

  private static void indexLayout1(Metadata metadata, Document doc) {
    for (String key : metadata.keys()) {
      if (metadata.get(key) instanceof String value)
        doc.add(new StringField(METADATA, metadataTerm(key, value), Field.Store.NO));
    }
  }

  /** The metadata of a stored document, in either stored form; none reads as empty. */
  static Metadata decodeMetadata(Document d) {
    BytesRef typed = d.getBinaryValue(METADATA_STORED);
    try {
      if (typed != null) return MetadataCodec.fromBytes(typed.bytes, typed.offset, typed.length);
      BytesRef v1 = d.getBinaryValue(METADATA_STORED_V1);
      if (v1 == null) return Metadata.EMPTY;
      ByteArrayDataInput in = new ByteArrayDataInput(v1.bytes, v1.offset, v1.length);
      int n = in.readVInt();
      Map<String, Object> m = new TreeMap<>();
      for (int i = 0; i < n; i++) m.put(in.readString(), in.readString());
      return Metadata.of(m);
    } catch (IOException e) {
      throw new CorruptCollectionException(
          "A record's stored metadata is damaged ("
              + e.getMessage()
              + "): restore the collection"
              + " from a backup or reindex it.",
          e);
    }
  }
}
