package dev.tessera.langchain4j;

/** LangChain4j's EmbeddingStoreWithFilteringIT on the `lucene` store. */
class LuceneFilteringSuiteTest extends TesseraFilteringSuite {
  @Override
  String storeName() {
    return "lucene";
  }
}
