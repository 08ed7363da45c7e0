package dev.tessera.langchain4j;

/** LangChain4j's EmbeddingStoreWithRemovalIT on the `memory` store. */
class MemoryRemovalSuiteTest extends TesseraRemovalSuite {
  @Override
  String storeName() {
    return "memory";
  }
}
