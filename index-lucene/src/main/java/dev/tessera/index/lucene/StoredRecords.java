package dev.tessera.index.lucene;

import dev.tessera.api.CorruptCollectionException;
import dev.tessera.api.Embedding;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Source;
import dev.tessera.api.spi.VectorStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.IndexSearcher;

/** Reads records back from a store's segments: whole items, hits, ids and stored vectors. */
final class StoredRecords {
  private static final Set<String> ID_ONLY = Set.of(Records.ID);

  private final Path path;
  private final ModelFingerprint fingerprint;

  StoredRecords(Path path, ModelFingerprint fingerprint) {
    this.path = path;
    this.fingerprint = fingerprint;
  }

  /**
   * The record of {@code doc} (leaf-local); {@code cursor} reuses vector iterators for ascending
   * docs, or is null.
   */
  Item load(LeafReaderContext leaf, int doc, VectorCursor cursor) throws IOException {
    Document d = leaf.reader().storedFields().document(doc);
    Modality m = Modality.parse(d.get(Records.MODALITY));
    VectorCursor c = cursor == null ? new VectorCursor(leaf.reader()) : cursor;
    float[] vector = c.vector(m, doc);
    return new Item(
        d.get(Records.ID),
        new Embedding(vector, fingerprint, m),
        Records.decodeMetadata(d),
        Source.decode(d.get(Records.SOURCE)));
  }

  /** The record of global {@code doc}. */
  Item load(IndexSearcher s, int doc) throws IOException {
    List<LeafReaderContext> leaves = s.getIndexReader().leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
    return load(leaf, doc - leaf.docBase, null);
  }

  /** Hands the record stored in {@code d} to {@code visitor}, without its vector. */
  static void visit(Document d, VectorStore.RecordVisitor visitor) {
    visitor.visit(
        d.get(Records.ID),
        Modality.parse(d.get(Records.MODALITY)),
        Records.decodeMetadata(d),
        Source.decode(d.get(Records.SOURCE)));
  }

  /** The id of global {@code doc}, read alone (from {@link HitValues} when it has a value). */
  static String id(IndexSearcher s, int doc) {
    try {
      String fromValues = HitValues.id(s, doc);
      if (fromValues != null) return fromValues;
      return s.storedFields().document(doc, ID_ONLY).get(Records.ID);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The hit for global {@code doc} with its score and modality: from its {@link HitValues} doc
   * value when it has one, else from its stored fields.
   */
  static Hit hit(IndexSearcher s, int doc, float score, Modality modality) throws IOException {
    Hit fromValues = HitValues.hit(s, doc, score, modality);
    if (fromValues != null) return fromValues;
    Document d = s.storedFields().document(doc);
    return new Hit(
        d.get(Records.ID),
        score,
        modality,
        Records.decodeMetadata(d),
        Source.decode(d.get(Records.SOURCE)));
  }

  /** The failure for a record (segment doc, -1 for a whole segment) missing its vector. */
  CorruptCollectionException missingVector(Modality m, int doc) {
    return new CorruptCollectionException(
        "The lucene store in "
            + path
            + " has a record (segment doc "
            + doc
            + ") without its "
            + m.id()
            + " vector: the index is damaged. Restore it from a backup or reindex it.");
  }

  /**
   * Reads stored vectors of one segment for ascending doc ids, one forward-only iterator per
   * modality. The array returned may be reused by the next call: copy it to keep it.
   */
  final class VectorCursor {
    private final LeafReader reader;
    private final Map<Modality, FloatVectorValues> values = new EnumMap<>(Modality.class);
    private final Map<Modality, KnnVectorValues.DocIndexIterator> iterators =
        new EnumMap<>(Modality.class);

    VectorCursor(LeafReader reader) {
      this.reader = reader;
    }

    float[] vector(Modality m, int doc) throws IOException {
      KnnVectorValues.DocIndexIterator it = iterators.get(m);
      if (it == null || it.docID() > doc) {
        FloatVectorValues v = reader.getFloatVectorValues(Records.vectorField(m));
        if (v == null) throw missingVector(m, doc);
        values.put(m, v);
        it = v.iterator();
        iterators.put(m, it);
      }
      if (it.docID() < doc) it.advance(doc);
      if (it.docID() != doc) throw missingVector(m, doc);
      return values.get(m).vectorValue(it.index());
    }
  }
}
