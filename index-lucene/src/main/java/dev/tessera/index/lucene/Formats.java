package dev.tessera.index.lucene;

import dev.tessera.api.ModelFingerprint;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.lucene102.Lucene102HnswBinaryQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;

/**
 * The Lucene codec a store writes with: Lucene's default codec with the HNSW format its settings
 * ask for.
 */
final class Formats {
  private Formats() {}

  /**
   * The codec for new segments: Lucene's default codec (whatever this Lucene version's is, under
   * its own name) with our HNSW format for every vector field. Segments record the codec and
   * per-field format names, so they are read back by Lucene's own classes through SPI, by any later
   * Lucene that still reads them, without this class.
   */
  static Codec codec(LuceneSettings settings) {
    KnnVectorsFormat format = new AnyDimension(hnsw(settings));
    KnnVectorsFormat perField =
        new PerFieldKnnVectorsFormat() {
          @Override
          public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
            return format;
          }
        };
    Codec base = Codec.getDefault();
    return new FilterCodec(base.getName(), base) {
      @Override
      public KnnVectorsFormat knnVectorsFormat() {
        return perField;
      }
    };
  }

  /**
   * Lucene's HNSW format for {@code settings}: raw floats, or int8 / int4 scalar or binary (BBQ)
   * quantization beside them.
   */
  static KnnVectorsFormat hnsw(LuceneSettings s) {
    int workers = MERGE_WORKERS;
    ExecutorService exec = workers > 1 ? MergeThreads.POOL : null;
    return switch (s.quantization()) {
      case NONE -> new Lucene99HnswVectorsFormat(s.maxConnections(), s.beamWidth(), workers, exec);
      // 7 bits is Lucene's "int8" (8 bits was removed as broken); the confidence interval follows
      // the dimension.
      case INT8 ->
          new Lucene99HnswScalarQuantizedVectorsFormat(
              s.maxConnections(), s.beamWidth(), workers, 7, false, null, exec);
      // Lucene recommends the dynamic confidence interval (0) for 4 bits; compress packs two
      // dimensions per byte.
      case INT4 ->
          new Lucene99HnswScalarQuantizedVectorsFormat(
              s.maxConnections(), s.beamWidth(), workers, 4, true, 0f, exec);
      case BBQ ->
          new Lucene102HnswBinaryQuantizedVectorsFormat(
              s.maxConnections(), s.beamWidth(), workers, exec);
    };
  }

  /**
   * Threads one HNSW merge builds its graph with: every core, so the merge after a bulk load (see
   * {@link LuceneStore#commit}) is not bound to one. The segments written are the same.
   */
  static final int MERGE_WORKERS = Runtime.getRuntime().availableProcessors();

  /** The daemon threads of concurrent HNSW merges, shared by every store of the JVM. */
  private static final class MergeThreads {
    static final ExecutorService POOL =
        Executors.newFixedThreadPool(
            MERGE_WORKERS,
            r -> {
              Thread t = new Thread(r, "tessera-lucene-hnsw-merge");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Lets a format index vectors longer than Lucene's default limit of 1024 dimensions (CLIP models
   * such as ViT-bigG have 1280). It carries the wrapped format's name, so segments record that name
   * and are read back by Lucene's own format through SPI; only the indexing-time limit changes.
   */
  static final class AnyDimension extends KnnVectorsFormat {
    private final KnnVectorsFormat delegate;

    AnyDimension(KnnVectorsFormat delegate) {
      super(delegate.getName());
      this.delegate = delegate;
    }

    @Override
    public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
      return delegate.fieldsWriter(state);
    }

    @Override
    public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
      return delegate.fieldsReader(state);
    }

    @Override
    public int getMaxDimensions(String fieldName) {
      return ModelFingerprint.MAX_DIMENSION;
    }

    @Override
    public String toString() {
      return delegate.toString();
    }
  }
}
