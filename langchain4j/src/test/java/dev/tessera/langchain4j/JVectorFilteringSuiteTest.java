package dev.tessera.langchain4j;

/** LangChain4j's EmbeddingStoreWithFilteringIT on the `jvector` store. */
class JVectorFilteringSuiteTest extends TesseraFilteringSuite {
  @Override
  String storeName() {
    return "jvector";
  }
}
