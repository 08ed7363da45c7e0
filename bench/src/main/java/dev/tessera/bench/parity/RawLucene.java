package dev.tessera.bench.parity;

import dev.tessera.synthetic.ClipLikeVectors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.knn.KnnSearchStrategy;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BitSetIterator;
import org.apache.lucene.util.FixedBitSet;

/**
 * Raw Lucene as Lucene's docs recommend for a static kNN index: one {@link KnnFloatVectorField}
 * with the default HNSW format (M 16, beam 100), DOT_PRODUCT (what the lucene store uses for unit
 * vectors), a 1 GiB RAM buffer so a bulk load flushes few segments, and {@code forceMerge(1)} after
 * the load, so a query walks one graph. Filters are Lucene queries under the {@link
 * KnnFloatVectorQuery}: a term on a {@code modality} field, a {@link LongPoint} range on {@code
 * rank}. The knob is the query's k (candidates walked); the top 10 of them are returned. The {@code
 * raw-lucene-seeded} row (an experiment) starts a modality-filtered walk from the best {@value
 * #SEEDS} of {@value #SEED_SAMPLE} sampled records of that modality ({@link
 * KnnSearchStrategy.Seeded}) instead of the graph's top entry point.
 */
final class RawLucene implements Engine {
  private static final String VEC = "v";
  private final List<String> efforts;
  private Directory directory;
  private DirectoryReader reader;
  private IndexSearcher searcher;
  private int candidates;

  /** Seeds a modality-filtered walk with the best of a sample of that modality (an experiment). */
  private final boolean seeded;

  /** Seeds per modality walk and the sample they are chosen from. */
  static final int SEEDS = 8;

  static final int SEED_SAMPLE = 256;

  /** Per modality ordinal: sampled docs and their vectors. */
  private int[][] sampleDocs;

  private float[][][] sampleVectors;

  RawLucene(List<String> efforts) {
    this(efforts, false);
  }

  RawLucene(List<String> efforts, boolean seeded) {
    this.efforts = efforts;
    this.seeded = seeded;
  }

  @Override
  public String label() {
    return seeded ? "raw-lucene-seeded" : "raw-lucene";
  }

  @Override
  public String knob() {
    return "k";
  }

  @Override
  public List<String> efforts() {
    return efforts;
  }

  @Override
  public void build(ParityData data, Path dir) throws IOException {
    directory = FSDirectory.open(dir);
    IndexWriterConfig cfg = new IndexWriterConfig().setRAMBufferSizeMB(1024);
    try (IndexWriter w = new IndexWriter(directory, cfg)) {
      float[][] corpus = data.corpus();
      for (int i = 0; i < corpus.length; i++) {
        Document d = new Document();
        d.add(new KnnFloatVectorField(VEC, corpus[i], VectorSimilarityFunction.DOT_PRODUCT));
        d.add(new StringField("modality", ClipLikeVectors.modalityOf(i).id(), Field.Store.NO));
        d.add(new LongPoint(ParityData.RANK_KEY, data.rank()[i]));
        d.add(new NumericDocValuesField("row", i));
        w.addDocument(d);
      }
      w.forceMerge(1);
      w.commit();
    }
    reader = DirectoryReader.open(directory);
    searcher = new IndexSearcher(reader);
    if (seeded) sample(data);
  }

  /** The first {@link #SEED_SAMPLE} rows of each modality, as docs of the one merged segment. */
  private void sample(ParityData data) throws IOException {
    if (reader.leaves().size() != 1 || reader.hasDeletions())
      throw new IllegalStateException("seeding needs one segment without deletions");
    int[] rowToDoc = new int[data.corpus().length];
    NumericDocValues dv = reader.leaves().get(0).reader().getNumericDocValues("row");
    for (int doc = dv.nextDoc(); doc != NumericDocValues.NO_MORE_DOCS; doc = dv.nextDoc())
      rowToDoc[(int) dv.longValue()] = doc;
    int kinds = dev.tessera.api.Modality.values().length;
    sampleDocs = new int[kinds][];
    sampleVectors = new float[kinds][][];
    for (dev.tessera.api.Modality m : dev.tessera.api.Modality.values()) {
      int[] docs = new int[SEED_SAMPLE];
      float[][] vecs = new float[SEED_SAMPLE][];
      int n = 0;
      for (int row = 0; row < rowToDoc.length && n < SEED_SAMPLE; row++) {
        if (ClipLikeVectors.modalityOf(row) != m) continue;
        docs[n] = rowToDoc[row];
        vecs[n++] = data.corpus()[row];
      }
      sampleDocs[m.ordinal()] = java.util.Arrays.copyOf(docs, n);
      sampleVectors[m.ordinal()] = java.util.Arrays.copyOf(vecs, n);
    }
  }

  /** Entry points for a walk of modality {@code m}: the best sampled docs (= ordinals). */
  private KnnSearchStrategy seeds(float[] query, dev.tessera.api.Modality m) {
    int[] docs = sampleDocs[m.ordinal()];
    float[][] vecs = sampleVectors[m.ordinal()];
    int n = Math.min(SEEDS, docs.length);
    int[] best = new int[n];
    float[] bestScore = new float[n];
    java.util.Arrays.fill(bestScore, Float.NEGATIVE_INFINITY);
    for (int i = 0; i < docs.length; i++) {
      float sc = org.apache.lucene.util.VectorUtil.dotProduct(query, vecs[i]);
      if (sc <= bestScore[n - 1]) continue;
      int j = n - 1;
      while (j > 0 && bestScore[j - 1] < sc) {
        bestScore[j] = bestScore[j - 1];
        best[j] = best[j - 1];
        j--;
      }
      bestScore[j] = sc;
      best[j] = docs[i];
    }
    FixedBitSet bits = new FixedBitSet(reader.maxDoc());
    for (int d : best) bits.set(d);
    return new KnnSearchStrategy.Seeded(
        new BitSetIterator(bits, n), n, KnnSearchStrategy.Hnsw.DEFAULT);
  }

  @Override
  public void useEffort(String effort) {
    candidates = Integer.parseInt(effort);
  }

  @Override
  public int[] search(float[] query, int k, ParityCase c) throws IOException {
    Query filter = filter(c);
    int walk = Math.max(k, candidates);
    KnnFloatVectorQuery q =
        seeded && c.modality() != null
            ? new KnnFloatVectorQuery(VEC, query, walk, filter, seeds(query, c.modality()))
            : new KnnFloatVectorQuery(VEC, query, walk, filter);
    TopDocs top = searcher.search(q, k);
    int[] out = new int[top.scoreDocs.length];
    List<LeafReaderContext> leaves = reader.leaves();
    for (int i = 0; i < out.length; i++) {
      ScoreDoc sd = top.scoreDocs[i];
      LeafReaderContext leaf =
          leaves.get(org.apache.lucene.index.ReaderUtil.subIndex(sd.doc, leaves));
      // doc values iterate forward only, so each lookup opens its own (cheap) iterator
      NumericDocValues dv = leaf.reader().getNumericDocValues("row");
      dv.advanceExact(sd.doc - leaf.docBase);
      out[i] = (int) dv.longValue();
    }
    return out;
  }

  private static Query filter(ParityCase c) {
    if (c.isAll()) return null;
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    if (c.modality() != null)
      b.add(new TermQuery(new Term("modality", c.modality().id())), BooleanClause.Occur.FILTER);
    if (c.rankBelow() >= 0)
      b.add(
          LongPoint.newRangeQuery(ParityData.RANK_KEY, Long.MIN_VALUE, c.rankBelow() - 1),
          BooleanClause.Occur.FILTER);
    return b.build();
  }

  @Override
  public void close() throws IOException {
    if (reader != null) reader.close();
    if (directory != null) directory.close();
  }
}
