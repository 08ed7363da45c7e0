package dev.tessera.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelFingerprintTest {
  private static final String D1 = "a".repeat(64);
  private static final String D2 = "b".repeat(64);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "openai/clip-vit-base-patch32",
        "name with spaces; and=signs",
        "100% ünïcødé 猫",
        "a"
      })
  void canonical_form_parses_back_to_an_equal_value_with_the_same_name(String name) {
    ModelFingerprint fp = ModelFingerprint.of(name, 512, Similarity.COSINE, true, D1);
    ModelFingerprint back = ModelFingerprint.parse(fp.canonical());
    assertThat(back).isEqualTo(fp);
    assertThat(back.name()).isEqualTo(name);
    assertThat(back.normalized()).isTrue();
    assertThat(back.canonical()).isEqualTo(fp.canonical());
  }

  @Test
  void equality_is_by_digest_dimension_similarity_and_normalized_never_by_name() {
    ModelFingerprint a = ModelFingerprint.of("clip", 512, Similarity.COSINE, true, D1);
    assertThat(a).isNotEqualTo(ModelFingerprint.of("clip", 512, Similarity.COSINE, true, D2));
    assertThat(a).isNotEqualTo(ModelFingerprint.of("clip", 768, Similarity.COSINE, true, D1));
    assertThat(a).isNotEqualTo(ModelFingerprint.of("clip", 512, Similarity.DOT_PRODUCT, true, D1));
    // a store that forgets the normalized flag reports another model: the api must refuse it
    ModelFingerprint unflagged = ModelFingerprint.of("clip", 512, Similarity.COSINE, false, D1);
    assertThat(a).isNotEqualTo(unflagged);
    assertThat(unflagged).isNotEqualTo(a);
    assertThat(a.isCompatibleWith(unflagged)).isFalse();
    ModelFingerprint renamed = ModelFingerprint.of("my-clip", 512, Similarity.COSINE, true, D1);
    assertThat(a).isEqualTo(renamed).hasSameHashCodeAs(renamed);
  }

  @Test
  void digest_is_normalized_to_lower_case() {
    assertThat(ModelFingerprint.of("m", 3, Similarity.COSINE, false, "AB".repeat(32)).digest())
        .isEqualTo("ab".repeat(32));
  }

  @Test
  void bad_parts_are_refused_with_the_value_in_the_message() {
    assertThatThrownBy(() -> ModelFingerprint.of("m", 0, Similarity.COSINE, true, D1))
        .hasMessage("Dimension 0 is out of range: it must be between 1 and 65536.");
    assertThatThrownBy(() -> ModelFingerprint.of("m", 4, Similarity.COSINE, true, "xyz"))
        .hasMessage("Digest 'xyz' is not a SHA-256: expected 64 hexadecimal digits.");
    assertThatThrownBy(() -> ModelFingerprint.of(" ", 4, Similarity.COSINE, true, D1))
        .hasMessageContaining("must not be blank");
  }

  @Test
  void parse_refuses_foreign_and_damaged_text() {
    assertThatThrownBy(() -> ModelFingerprint.parse("clip-512"))
        .hasMessage(
            "Not a Tessera model fingerprint: 'clip-512' (expected it to start with"
                + " 'tessera-fp:1;').");
    String good = ModelFingerprint.of("m", 4, Similarity.COSINE, true, D1).canonical();
    assertThatThrownBy(() -> ModelFingerprint.parse(good.replace(";dim=4", "")))
        .hasMessageContaining("lacks the field 'dim'");
    assertThatThrownBy(() -> ModelFingerprint.parse(good + ";extra=1"))
        .hasMessageContaining("unknown fields");
    assertThatThrownBy(() -> ModelFingerprint.parse(good.replace("dim=4", "dim=four")))
        .hasMessage("Fingerprint dimension 'four' is not a number.");
  }

  @Test
  void declared_fingerprints_agree_only_when_every_part_agrees() {
    ModelFingerprint a = ModelFingerprint.declared("ext", 8, Similarity.COSINE, true, "ckpt-1");
    assertThat(ModelFingerprint.declared("ext", 8, Similarity.COSINE, true, "ckpt-1")).isEqualTo(a);
    assertThat(ModelFingerprint.declared("ext", 8, Similarity.COSINE, true, "ckpt-2"))
        .isNotEqualTo(a);
    assertThat(ModelFingerprint.declared("ext", 8, Similarity.COSINE, false, "ckpt-1").digest())
        .isNotEqualTo(a.digest());
  }

  @Test
  void to_string_names_model_dimension_similarity_and_short_digest() {
    assertThat(ModelFingerprint.of("clip", 512, Similarity.COSINE, true, D1))
        .hasToString("clip [512-d cosine normalized sha256:aaaaaaaaaaaa]");
  }
}
