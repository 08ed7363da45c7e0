package dev.tessera.langchain4j;

/** LangChain4j's EmbeddingStoreWithFilteringIT on the `memory` store. */
class MemoryFilteringSuiteTest extends TesseraFilteringSuite {
  @Override
  String storeName() {
    return "memory";
  }
}
