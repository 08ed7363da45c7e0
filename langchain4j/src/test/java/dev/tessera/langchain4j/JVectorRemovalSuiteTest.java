package dev.tessera.langchain4j;

/** LangChain4j's EmbeddingStoreWithRemovalIT on the `jvector` store. */
class JVectorRemovalSuiteTest extends TesseraRemovalSuite {
  @Override
  String storeName() {
    return "jvector";
  }
}
