package dev.tessera.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.EmbeddingStoreWithFilteringIT;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * LangChain4j's {@link EmbeddingStoreWithFilteringIT}, unchanged, on one Tessera store (one
 * collection per class).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TesseraFilteringSuite extends EmbeddingStoreWithFilteringIT {
  private SuiteStore suite;

  /** The Tessera store's name: memory, lucene or jvector. */
  abstract String storeName();

  /** When the adapter commits; every write by default, as a LangChain4j user gets it. */
  TesseraEmbeddingStore.CommitPolicy commitPolicy() {
    return TesseraEmbeddingStore.CommitPolicy.EVERY_WRITE;
  }

  @BeforeAll
  void openCollection() {
    suite = new SuiteStore(storeName(), commitPolicy());
  }

  @AfterAll
  void closeCollection() throws IOException {
    suite.close();
  }

  /** The suite clears the store through this hook before each test. */
  @Override
  protected void clearStore() {
    suite.store().removeAll();
  }

  @Override
  protected EmbeddingStore<TextSegment> embeddingStore() {
    return suite.store();
  }

  @Override
  protected EmbeddingModel embeddingModel() {
    return SuiteStore.MODEL;
  }
}
