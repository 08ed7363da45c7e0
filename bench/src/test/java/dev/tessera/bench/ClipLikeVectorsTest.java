package dev.tessera.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.api.math.Kernels;
import org.junit.jupiter.api.Test;

/** The synthetic data is deterministic, unit length and has a gap between the modalities. */
class ClipLikeVectorsTest {
  private static final long SEED = 7;

  @Test
  void sameSeedSameVectorsAndUnitLength() {
    System.out.println("seed " + SEED);
    ClipLikeVectors a = new ClipLikeVectors(64, 10, SEED);
    ClipLikeVectors b = new ClipLikeVectors(64, 10, SEED);
    for (int i = 0; i < 100; i++) {
      float[] v = a.vector(0, i);
      assertThat(v).containsExactly(b.vector(0, i));
      assertThat((double) Kernels.scalar().dot(v, v))
          .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    }
    assertThat(a.vector(1, 3)).isNotEqualTo(a.vector(0, 3));
  }

  @Test
  void imagesAreCloserToImagesThanToTexts() {
    System.out.println("seed " + SEED);
    ClipLikeVectors g = new ClipLikeVectors(128, 4, SEED);
    double same = 0;
    double cross = 0;
    int pairs = 400;
    for (int i = 0; i < pairs; i++) {
      float[] img = g.vector(0, 2L * i);
      same += Kernels.scalar().dot(img, g.vector(0, 2L * i + 2));
      cross += Kernels.scalar().dot(img, g.vector(0, 2L * i + 1));
    }
    assertThat(same / pairs).isGreaterThan(cross / pairs + 0.1);
    assertThat(cross / pairs)
        .as("all vectors share one cone, as CLIP embeddings do")
        .isGreaterThan(0.2);
  }

  @Test
  void refusesNonsenseSizes() {
    assertThatThrownBy(() -> new ClipLikeVectors(0, 3, 1)).hasMessageContaining("dim=0");
  }
}
