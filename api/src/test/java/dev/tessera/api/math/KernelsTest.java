package dev.tessera.api.math;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chosen kernels against the scalar reference on random vectors of every length 1..1100 (so
 * every prime below 1100 and every tail length of every vector width). Tolerance: |fast − scalar| ≤
 * 1e-5 × Σ|aᵢbᵢ| + 1e-6, i.e. float rounding of a sum reordered, relative to the sum's magnitude.
 */
class KernelsTest {
  private static final long SEED = Long.getLong("tessera.test.seed", System.nanoTime());
  private static final VectorKernel SCALAR = Kernels.scalar();
  private static VectorKernel chosen;

  @BeforeAll
  static void pick() {
    System.out.println(
        "KernelsTest seed=" + SEED + " (rerun with -Dtessera.test.seed=" + SEED + ")");
    chosen = Kernels.get();
    System.out.println("KernelsTest kernel in use: " + chosen.name());
  }

  @Test
  void the_kernel_in_use_is_the_one_the_jvm_allows() {
    String forced = System.getProperty(Kernels.PROPERTY, "auto");
    boolean moduleReadable = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    if (forced.equals("scalar") || !moduleReadable) {
      assertThat(chosen.name()).isEqualTo("scalar");
    } else {
      assertThat(chosen.name()).startsWith("panama-");
    }
  }

  @Test
  void chosen_kernels_agree_with_scalar_on_every_length_up_to_1100() {
    List<VectorKernel> kernels = candidates();
    SplittableRandom rnd = new SplittableRandom(SEED);
    for (int n = 1; n <= 1100; n++) {
      float[] a = random(rnd, n);
      float[] b = random(rnd, n);
      double mag = 0, magA = 0, magB = 0, sqMag = 0;
      for (int i = 0; i < n; i++) {
        mag += Math.abs((double) a[i] * b[i]);
        magA += (double) a[i] * a[i];
        magB += (double) b[i] * b[i];
        double d = a[i] - b[i];
        sqMag += d * d;
      }
      for (VectorKernel k : kernels) {
        String at = k.name() + " n=" + n + " seed=" + SEED;
        assertThat((double) k.dot(a, b)).as("dot " + at).isCloseTo(SCALAR.dot(a, b), within(mag));
        assertThat((double) k.squareDistance(a, b))
            .as("sqdist " + at)
            .isCloseTo(SCALAR.squareDistance(a, b), within(sqMag));
        double cosTol = mag / Math.sqrt(magA * magB);
        assertThat((double) k.cosine(a, b))
            .as("cosine " + at)
            .isCloseTo(SCALAR.cosine(a, b), within(cosTol));
      }
    }
  }

  @Test
  void bulk_kernels_agree_with_one_at_a_time_for_awkward_row_counts() {
    SplittableRandom rnd = new SplittableRandom(SEED ^ 0x5eed);
    for (VectorKernel k : candidates()) {
      for (int dim : new int[] {1, 3, 7, 16, 17, 127, 512, 513, 769}) {
        for (int rows : new int[] {0, 1, 3, 4, 5, 9}) {
          float[] q = random(rnd, dim);
          float[] data = random(rnd, dim * rows);
          float[] dots = new float[rows];
          float[] dists = new float[rows];
          k.dotBulk(q, data, rows, dots);
          k.squareDistanceBulk(q, data, rows, dists);
          for (int r = 0; r < rows; r++) {
            float[] row = java.util.Arrays.copyOfRange(data, r * dim, (r + 1) * dim);
            double mag = 0, sq = 0;
            for (int i = 0; i < dim; i++) {
              mag += Math.abs((double) q[i] * row[i]);
              sq += (q[i] - row[i]) * (double) (q[i] - row[i]);
            }
            String at = k.name() + " dim=" + dim + " row=" + r + "/" + rows + " seed=" + SEED;
            assertThat((double) dots[r])
                .as("dotBulk " + at)
                .isCloseTo(SCALAR.dot(q, row), within(mag));
            assertThat((double) dists[r])
                .as("sqdistBulk " + at)
                .isCloseTo(SCALAR.squareDistance(q, row), within(sq));
          }
        }
      }
    }
  }

  @Test
  void every_bulk_row_scores_bit_for_bit_what_dot_gives_it() {
    // The bulk kernel scores rows four and two at a time; each row must keep dot()'s order of
    // additions, or the exact scan and a one-at-a-time rescoring would rank ties differently.
    SplittableRandom rnd = new SplittableRandom(SEED ^ 0xb17);
    for (VectorKernel k : candidates()) {
      for (int dim : new int[] {1, 15, 16, 63, 64, 65, 100, 512, 513, 560, 768}) {
        for (int rows = 0; rows <= 11; rows++) {
          float[] q = random(rnd, dim);
          float[] data = random(rnd, dim * rows);
          float[] dots = new float[rows];
          k.dotBulk(q, data, rows, dots);
          for (int r = 0; r < rows; r++) {
            float[] row = java.util.Arrays.copyOfRange(data, r * dim, (r + 1) * dim);
            assertThat(Float.floatToRawIntBits(dots[r]))
                .as(k.name() + " dim=" + dim + " row=" + r + "/" + rows + " seed=" + SEED)
                .isEqualTo(Float.floatToRawIntBits(k.dot(q, row)));
          }
        }
      }
    }
  }

  @Test
  void the_same_vectors_always_get_the_same_score_before_and_after_jit() {
    SplittableRandom rnd = new SplittableRandom(SEED ^ 0xabc);
    float[] a = random(rnd, 517);
    float[] b = random(rnd, 517);
    float[] data = new float[517 * 4];
    for (int r = 0; r < 4; r++) System.arraycopy(b, 0, data, r * 517, 517);
    for (VectorKernel k : candidates()) {
      java.util.Set<Float> dots = new java.util.HashSet<>();
      java.util.Set<Float> dists = new java.util.HashSet<>();
      java.util.Set<Float> cosines = new java.util.HashSet<>();
      float[] out = new float[4];
      // Enough calls for the JIT to compile the kernels part-way through: the interpreted and the
      // compiled forms must agree bit for bit, or equal vectors would tie-break at random.
      for (int i = 0; i < 60_000; i++) {
        dots.add(k.dot(a, b));
        dists.add(k.squareDistance(a, b));
        cosines.add(k.cosine(a, b));
        k.dotBulk(a, data, 4, out);
        for (float o : out) dots.add(o);
      }
      assertThat(dots).as(k.name() + " dot").hasSize(1);
      assertThat(dists).as(k.name() + " squareDistance").hasSize(1);
      assertThat(cosines).as(k.name() + " cosine").hasSize(1);
    }
  }

  @Test
  void scalar_kernel_matches_exact_double_arithmetic() {
    float[] a = {1, 2, 3};
    float[] b = {4, -5, 6};
    assertThat(SCALAR.dot(a, b)).isEqualTo(12f);
    assertThat(SCALAR.squareDistance(a, b)).isEqualTo(9f + 49f + 9f);
    assertThat((double) SCALAR.cosine(a, b))
        .isCloseTo(12 / Math.sqrt(14.0 * 77.0), org.assertj.core.data.Offset.offset(1e-7));
    assertThat(SCALAR.cosine(new float[3], b)).isZero();
  }

  private static List<VectorKernel> candidates() {
    List<VectorKernel> ks = new ArrayList<>();
    ks.add(chosen);
    try {
      VectorKernel p = Kernels.panama();
      if (!p.name().equals(chosen.name())) ks.add(p);
    } catch (UnsupportedOperationException e) {
      System.out.println("KernelsTest: Panama kernels unavailable here: " + e.getMessage());
    }
    return ks;
  }

  private static org.assertj.core.data.Offset<Double> within(double magnitude) {
    return org.assertj.core.data.Offset.offset(1e-5 * magnitude + 1e-6);
  }

  private static float[] random(SplittableRandom rnd, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = (float) (rnd.nextDouble() * 2 - 1);
    return v;
  }
}
