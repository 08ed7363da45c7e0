package dev.tessera.index.lucene;

import dev.tessera.api.ModelFingerprint;
import java.io.IOException;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
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
   * Lucene's HNSW format for {@code settings}: raw floats, or int8 / int4 scalar quantization
   * beside them.
   */
  static KnnVectorsFormat hnsw(LuceneSettings s) {
    return switch (s.quantization()) {
      case NONE -> new Lucene99HnswVectorsFormat(s.maxConnections(), s.beamWidth());
      // 7 bits is Lucene's "int8" (8 bits was removed as broken); the confidence interval follows
      // the dimension.
      case INT8 ->
          new Lucene99HnswScalarQuantizedVectorsFormat(
              s.maxConnections(), s.beamWidth(), 1, 7, false, null, null);
      // Lucene recommends the dynamic confidence interval (0) for 4 bits; compress packs two
      // dimensions per byte.
      case INT4 ->
          new Lucene99HnswScalarQuantizedVectorsFormat(
              s.maxConnections(), s.beamWidth(), 1, 4, true, 0f, null);
    };
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
