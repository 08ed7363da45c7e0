package dev.tessera.langchain4j.archfixture;

/** Breaks "adapters are independent of backends": the langchain4j module uses the lucene module. */
public class LangChain4jUsingLucene {
  /** The forbidden dependency. */
  public Object store() {
    return new dev.tessera.index.lucene.archfixture.LuceneUsingJVector();
  }
}
