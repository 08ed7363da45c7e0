package dev.tessera.bench;

import dev.tessera.api.math.Kernels;
import dev.tessera.api.math.VectorKernel;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Distance kernels side by side in one run: Tessera's scalar and Panama kernels, its bulk kernel
 * (one query against {@link #ROWS} rows), Lucene's {@code VectorUtil} and JVector's {@code
 * VectorUtil}, for dot product, cosine and squared Euclidean distance.
 *
 * <p>Pitfalls avoided: inputs live in non-final state fields (no constant folding), every result is
 * returned (no dead-code elimination), the inputs are random rather than zeros (no shortcut on
 * special values), 513 exercises the tail loop, and {@link #baseline()} shows the harness cost that
 * every number includes. The bulk benchmark reports per row so it reads against a single call.
 */
// Average time per call is what the ratios and the cycles-per-dot figure need.
@BenchmarkMode(Mode.AverageTime)
// Nanoseconds: a 512-d dot product takes tens of them.
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// One state per thread; the benchmarks run single-threaded, and this keeps the inputs unshared.
@State(Scope.Thread)
// Short but several iterations: C2 has compiled these small loops well within the first one.
@Warmup(iterations = 3, time = 1)
// Five measured iterations give JMH a median and an error bar without a long run on a shared
// machine.
@Measurement(iterations = 5, time = 1)
// One fork keeps the run short; the Panama module must be added in the forked JVM or the Panama
// and library kernels fall back to scalar code.
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
public class KernelBenchmark {
  /** Rows scored per bulk call. */
  public static final int ROWS = 16;

  // The dimensions asked for: CLIP sizes 512, 768 and 1024, a small 128, and 513 to exercise the
  // tail loop.
  @Param({"128", "512", "513", "768", "1024"})
  public int dim;

  // Non-final fields so the JIT can not constant-fold the inputs.
  float[] a;
  float[] b;
  float[] rows;
  float[][] rowArrays;
  float[] out;
  VectorKernel scalar;
  VectorKernel panama;
  VectorFloat<?> ja;
  VectorFloat<?> jb;

  /** Seeded random inputs (seed printed so a run can be repeated). */
  // Trial level: the inputs do not change between iterations, so they are made once per fork.
  @Setup
  public void setUp() {
    long seed = 20_261_128L + dim;
    System.out.println("KernelBenchmark inputs: seed " + seed + ", dim " + dim);
    SplittableRandom r = new SplittableRandom(seed);
    a = random(r, dim);
    b = random(r, dim);
    rows = new float[ROWS * dim];
    rowArrays = new float[ROWS][];
    for (int i = 0; i < ROWS; i++) {
      rowArrays[i] = random(r, dim);
      System.arraycopy(rowArrays[i], 0, rows, i * dim, dim);
    }
    out = new float[ROWS];
    scalar = Kernels.scalar();
    panama = Kernels.panama();
    VectorTypeSupport vts = VectorizationProvider.getInstance().getVectorTypeSupport();
    ja = vts.createFloatVector(a.clone());
    jb = vts.createFloatVector(b.clone());
  }

  private static float[] random(SplittableRandom r, int dim) {
    float[] v = new float[dim];
    for (int i = 0; i < dim; i++) v[i] = (float) r.nextGaussian();
    return v;
  }

  /** Harness overhead: reads one input element and returns it. */
  // Benchmark: the baseline every kernel number includes.
  @Benchmark
  public float baseline() {
    return a[0];
  }

  // Benchmark (each method below): one kernel call, result returned so it is not dead code.
  @Benchmark
  public float scalarDot() {
    return scalar.dot(a, b);
  }

  @Benchmark
  public float scalarCosine() {
    return scalar.cosine(a, b);
  }

  @Benchmark
  public float scalarSquare() {
    return scalar.squareDistance(a, b);
  }

  @Benchmark
  public float panamaDot() {
    return panama.dot(a, b);
  }

  @Benchmark
  public float panamaCosine() {
    return panama.cosine(a, b);
  }

  @Benchmark
  public float panamaSquare() {
    return panama.squareDistance(a, b);
  }

  @Benchmark
  public float luceneDot() {
    return org.apache.lucene.util.VectorUtil.dotProduct(a, b);
  }

  @Benchmark
  public float luceneCosine() {
    return org.apache.lucene.util.VectorUtil.cosine(a, b);
  }

  @Benchmark
  public float luceneSquare() {
    return org.apache.lucene.util.VectorUtil.squareDistance(a, b);
  }

  @Benchmark
  public float jvectorDot() {
    return io.github.jbellis.jvector.vector.VectorUtil.dotProduct(ja, jb);
  }

  @Benchmark
  public float jvectorCosine() {
    return io.github.jbellis.jvector.vector.VectorUtil.cosine(ja, jb);
  }

  @Benchmark
  public float jvectorSquare() {
    return io.github.jbellis.jvector.vector.VectorUtil.squareL2Distance(ja, jb);
  }

  /** Bulk dot: one query against {@link #ROWS} contiguous rows; time reported per row. */
  // Per row, so the number compares directly with one panamaDot call.
  @OperationsPerInvocation(ROWS)
  @Benchmark
  public float[] bulkDot() {
    panama.dotBulk(a, rows, ROWS, out);
    return out;
  }

  /** Bulk squared distance, per row. */
  // Per row, as for bulkDot.
  @OperationsPerInvocation(ROWS)
  @Benchmark
  public float[] bulkSquare() {
    panama.squareDistanceBulk(a, rows, ROWS, out);
    return out;
  }

  /**
   * The same work as bulkDot done by a loop of single Panama dot calls over separate arrays, per
   * row.
   */
  // Per row: the fair comparison for the bulk kernel.
  @OperationsPerInvocation(ROWS)
  @Benchmark
  public float[] panamaDotLoop() {
    for (int i = 0; i < ROWS; i++) out[i] = panama.dot(a, rowArrays[i]);
    return out;
  }
}
