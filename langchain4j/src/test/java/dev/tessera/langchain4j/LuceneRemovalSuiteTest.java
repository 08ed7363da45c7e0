package dev.tessera.langchain4j;

/** LangChain4j's EmbeddingStoreWithRemovalIT on the `lucene` store. */
class LuceneRemovalSuiteTest extends TesseraRemovalSuite {
  @Override
  String storeName() {
    return "lucene";
  }
}
