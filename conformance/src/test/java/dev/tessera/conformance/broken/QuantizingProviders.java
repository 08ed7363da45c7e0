package dev.tessera.conformance.broken;

import dev.tessera.api.Embedding;
import dev.tessera.api.Item;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import java.io.IOException;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * Stores that round what they keep, for the kit's capability hooks: one honest about its bound, one
 * that exceeds the bound it declares, and one that keeps nothing across a reopen.
 */
public final class QuantizingProviders {
  /** The relative error of float16's 11-bit significand: 2^-11. */
  public static final double FLOAT16_BOUND = 0x1p-11;

  private QuantizingProviders() {}

  /** Stores each component as float16 (what it declares, within {@link #FLOAT16_BOUND}). */
  public static final class Float16 extends BrokenProviders.Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return rounding(inner, x -> Float.float16ToFloat(Float.floatToFloat16((float) x)));
    }
  }

  /**
   * Stores bfloat16 (8-bit significand, error up to 2^-8) while its kit declares float16's bound.
   */
  public static final class BFloat16ClaimingFloat16 extends BrokenProviders.Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return rounding(
          inner,
          x -> Float.intBitsToFloat((Float.floatToRawIntBits((float) x) + 0x8000) & 0xffff0000));
    }
  }

  /** Lives in memory only: every open of an existing store fails. */
  public static final class NotPersistent extends BrokenProviders.Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner);
    }

    @Override
    public VectorStore open(StoreContext context) throws IOException {
      throw new IOException(
          "This store keeps nothing on disk; " + context.directory() + " is gone.");
    }
  }

  static VectorStore rounding(VectorStore inner, DoubleUnaryOperator round) {
    return new ForwardingStore(inner) {
      @Override
      public void upsert(List<Item> items) throws IOException {
        inner.upsert(items.stream().map(it -> rounded(it, round)).toList());
      }
    };
  }

  static Item rounded(Item it, DoubleUnaryOperator round) {
    float[] v = it.embedding().vector();
    float[] r = new float[v.length];
    for (int i = 0; i < v.length; i++) r[i] = (float) round.applyAsDouble(v[i]);
    ModelFingerprint fp = it.embedding().fingerprint();
    return new Item(
        it.id(), new Embedding(r, fp, it.embedding().modality()), it.metadata(), it.source());
  }
}
