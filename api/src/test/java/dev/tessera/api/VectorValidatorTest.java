package dev.tessera.api;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VectorValidatorTest {
  private static final ModelFingerprint COS =
      ModelFingerprint.of("m", 3, Similarity.COSINE, true, "d".repeat(64));
  private static final ModelFingerprint DOT =
      ModelFingerprint.of("m", 3, Similarity.DOT_PRODUCT, false, "d".repeat(64));

  @Test
  void a_good_vector_passes() {
    assertThatCode(
            () ->
                VectorValidator.check(
                    COS, Embedding.text(new float[] {0.6f, 0.8f, 0}, COS), "query"))
        .doesNotThrowAnyException();
  }

  @Test
  void wrong_dimension_is_refused() {
    assertThatThrownBy(
            () -> VectorValidator.checkVector(COS, new float[] {1, 0}, "write of record 'x'"))
        .isInstanceOf(DimensionMismatchException.class)
        .hasMessageStartingWith(
            "Write of record 'x': the vector has 2 dimensions but the collection's model m [3-d"
                + " cosine normalized sha256:dddddddddddd] makes 3-d vectors.");
  }

  @Test
  void nan_and_infinity_are_refused_naming_the_component() {
    assertThatThrownBy(
            () -> VectorValidator.checkVector(DOT, new float[] {1, Float.NaN, 0}, "query"))
        .isInstanceOf(NonFiniteVectorException.class)
        .hasMessage(
            "Query: component 1 of the vector is NaN; vectors must be finite. Check the encoder's"
                + " input and output for this item.");
    assertThatThrownBy(
            () ->
                VectorValidator.checkVector(
                    DOT, new float[] {1, 0, Float.NEGATIVE_INFINITY}, "query"))
        .isInstanceOf(NonFiniteVectorException.class)
        .hasMessageContaining("component 2 of the vector is -Infinity");
  }

  @Test
  void zero_vector_is_refused_under_cosine_only() {
    ModelFingerprint cosNotNormalized =
        ModelFingerprint.of("m", 3, Similarity.COSINE, false, "d".repeat(64));
    assertThatThrownBy(() -> VectorValidator.checkVector(cosNotNormalized, new float[3], "query"))
        .isInstanceOf(ZeroVectorException.class);
    assertThatCode(() -> VectorValidator.checkVector(DOT, new float[3], "query"))
        .doesNotThrowAnyException();
  }

  @Test
  void unnormalized_vector_is_refused_where_the_fingerprint_promises_unit_length() {
    assertThatThrownBy(() -> VectorValidator.checkVector(COS, new float[] {3, 4, 0}, "query"))
        .isInstanceOf(NotNormalizedException.class)
        .hasMessageContaining("the vector's L2 norm is 5.0")
        .hasMessageContaining("norm 1 ± 0.001");
    assertThatCode(() -> VectorValidator.checkVector(COS, new float[] {1.0009f, 0, 0}, "query"))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> VectorValidator.checkVector(COS, new float[] {1.0011f, 0, 0}, "query"))
        .isInstanceOf(NotNormalizedException.class);
  }

  @Test
  void another_models_vector_is_refused_naming_both_fingerprints_and_the_fix() {
    ModelFingerprint other = ModelFingerprint.of("m", 3, Similarity.COSINE, true, "e".repeat(64));
    assertThatThrownBy(
            () -> VectorValidator.check(COS, Embedding.text(new float[] {1, 0, 0}, other), "query"))
        .isInstanceOf(FingerprintMismatchException.class)
        .hasMessage(
            "Model fingerprint mismatch on query: model digest differs. The collection was built"
                + " with m [3-d cosine normalized sha256:dddddddddddd] but this comes from m [3-d"
                + " cosine normalized sha256:eeeeeeeeeeee]. Vectors of different models must never"
                + " be mixed: embed with the collection's model, or reindex the collection with the"
                + " new model (tessera reindex --model ...).");
  }
}
