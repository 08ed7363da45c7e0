package dev.tessera.langchain4j;

import dev.tessera.api.Embedding;
import dev.tessera.api.EmbeddingResult;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.Similarity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A deterministic stand-in for a CLIP model: each word is a fixed random direction, a text is the
 * normalized sum of its words, and an "image" is the sum of the words of its file name ({@code
 * red-cat.jpg} lands near "a red cat"). 32-d, normalized, cosine.
 */
final class WordEncoder implements MultiModalEncoder {
  static final int DIMENSION = 32;
  private final ModelFingerprint fingerprint;

  WordEncoder(String identity) {
    fingerprint =
        ModelFingerprint.declared("word-encoder", DIMENSION, Similarity.COSINE, true, identity);
  }

  @Override
  public ModelFingerprint fingerprint() {
    return fingerprint;
  }

  @Override
  public List<Embedding> embedTexts(List<String> texts) {
    return texts.stream().map(t -> Embedding.text(vector(t), fingerprint)).toList();
  }

  @Override
  public List<EmbeddingResult> embedImages(List<Path> images) {
    List<EmbeddingResult> out = new ArrayList<>();
    for (Path p : images) {
      String name = p.getFileName().toString().replaceFirst("\\.[^.]*$", "");
      out.add(EmbeddingResult.success(p.toString(), Embedding.image(vector(name), fingerprint)));
    }
    return out;
  }

  /** The vector of a text: the normalized sum of its words' directions. */
  static float[] vector(String text) {
    double[] sum = new double[DIMENSION];
    for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (word.isEmpty() || word.equals("a") || word.equals("of") || word.equals("the")) continue;
      SplittableRandom r = new SplittableRandom(word.hashCode());
      for (int i = 0; i < DIMENSION; i++) sum[i] += r.nextGaussian();
    }
    if (sum[0] == 0) sum[0] = 1; // no words: a fixed direction, never a zero vector
    double norm = 0;
    for (double x : sum) norm += x * x;
    norm = Math.sqrt(norm);
    float[] v = new float[DIMENSION];
    for (int i = 0; i < DIMENSION; i++) v[i] = (float) (sum[i] / norm);
    return v;
  }

  @Override
  public void close() {}
}
