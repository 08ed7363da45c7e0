package dev.tessera.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintDigestTest {
  @Test
  void parts_are_framed_so_moving_a_boundary_changes_the_digest() {
    String a = FingerprintDigest.create().field("ab", "c").hex();
    String b = FingerprintDigest.create().field("a", "bc").hex();
    assertThat(a).isNotEqualTo(b).hasSize(64);
  }

  @Test
  void same_parts_in_the_same_order_give_the_same_digest() {
    assertThat(FingerprintDigest.create().field("size", "224").field("crop", "224").hex())
        .isEqualTo(FingerprintDigest.create().field("size", "224").field("crop", "224").hex())
        .isNotEqualTo(FingerprintDigest.create().field("crop", "224").field("size", "224").hex());
  }

  @Test
  void a_file_is_streamed_and_one_changed_byte_changes_the_digest(@TempDir Path dir)
      throws Exception {
    Path f = dir.resolve("model.onnx");
    byte[] content =
        new byte[3 * (1 << 20) + 17]; // larger than the 1 MiB buffer, not a multiple of it
    for (int i = 0; i < content.length; i++) content[i] = (byte) (i * 31);
    Files.write(f, content);
    String first = FingerprintDigest.create().file("model.onnx", f).hex();
    assertThat(FingerprintDigest.create().file("model.onnx", f).hex()).isEqualTo(first);
    content[content.length - 1] ^= 1;
    Files.write(f, content);
    assertThat(FingerprintDigest.create().file("model.onnx", f).hex()).isNotEqualTo(first);
  }
}
