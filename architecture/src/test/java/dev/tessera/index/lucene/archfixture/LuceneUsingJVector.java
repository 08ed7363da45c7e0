package dev.tessera.index.lucene.archfixture;

/** Breaks "backends are independent": the lucene module uses the jvector module. */
public class LuceneUsingJVector {
  /** The forbidden dependency. */
  public Object other() {
    return new dev.tessera.index.jvector.archfixture.JVectorUsingCli();
  }
}
