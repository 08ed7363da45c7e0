package dev.tessera.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.filter.MetadataFilterBuilder;
import dev.tessera.api.Hit;
import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.Query;
import dev.tessera.api.collection.VectorCollection;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The module README's example, run with a stand-in for CLIP. */
class ReadmeExampleTest {
  @TempDir Path tmp;

  @Test
  void ingest_with_langchain4j_query_with_text_then_with_an_image_through_tessera() {
    MultiModalEncoder clip = new WordEncoder("readme"); // in the README: OnnxClipEncoder.open(...)
    Path dir = tmp.resolve("photos.tessera");

    try (VectorCollection photos =
        VectorCollection.openOrCreate(dir, "lucene", clip.fingerprint())) {
      TesseraEmbeddingModel model = TesseraEmbeddingModel.of(clip);
      TesseraEmbeddingStore store =
          TesseraEmbeddingStore.builder(photos).embeddingModel(model).build();

      // Ingest documents and images' captions through LangChain4j.
      List<TextSegment> segments =
          List.of(
              TextSegment.from("a red cat asleep on a sofa", Metadata.from("album", "home")),
              TextSegment.from("a dog running on the beach", Metadata.from("album", "trips")),
              TextSegment.from("notes on feeding a cat", Metadata.from("album", "docs")));
      List<Embedding> vectors = model.embedAll(segments).content();
      store.addAll(vectors, segments);

      // Query with a text, filtered on metadata, through LangChain4j.
      EmbeddingModel asLangChain4j = model;
      List<EmbeddingMatch<TextSegment>> cats =
          store
              .search(
                  EmbeddingSearchRequest.builder()
                      .queryEmbedding(asLangChain4j.embed("cat").content())
                      .filter(MetadataFilterBuilder.metadataKey("album").isNotEqualTo("docs"))
                      .maxResults(1)
                      .build())
              .matches();
      assertThat(cats)
          .singleElement()
          .satisfies(m -> assertThat(m.embedded().text()).contains("red cat"));

      // An image query through the Tessera API, on the same collection.
      List<Hit> hits = photos.search(Query.of(clip.embedImage(Path.of("beach-dog.jpg"))).k(1));
      assertThat(hits)
          .singleElement()
          .satisfies(h -> assertThat(h.source().encode()).contains("dog running"));
      assertThat(hits.get(0).metadata().asMap()).isEqualTo(Map.of("album", "trips"));
    }
  }
}
