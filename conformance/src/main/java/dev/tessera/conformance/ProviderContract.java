package dev.tessera.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.api.ClosedException;
import dev.tessera.api.Filter;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.spi.VectorStore;
import dev.tessera.api.spi.VectorStoreProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kit, part: the provider as the SPI describes it, and a store after close. */
abstract class ProviderContract extends ConcurrencyContract {
  ProviderContract() {}

  @Test
  void should_name_and_describe_the_provider_as_the_spi_says() {
    VectorStoreProvider p = provider();
    assertThat(p.name())
        .as("VectorStoreProvider.name(): lower case, no spaces")
        .matches("[a-z0-9][a-z0-9._-]*");
    assertThat(p.description())
        .as("VectorStoreProvider.description()")
        .isNotBlank()
        .doesNotContain("\n");
    assertThat(p.settingNames()).as("settingNames()").isNotNull().containsAll(settings().keySet());
  }

  // ================================================================== lifecycle

  @Test
  void should_throw_ClosedException_for_every_call_after_close() throws IOException {
    VectorStore store = createStore(tempDir.resolve("s"), SMALL);
    Item it = item("a", new float[] {1, 0, 0, 0, 0, 0, 0, 0}, SMALL, Modality.TEXT);
    store.upsert(List.of(it));
    store.commit();
    store.close();
    float[] q = {1, 0, 0, 0, 0, 0, 0, 0};
    Map<String, org.assertj.core.api.ThrowableAssert.ThrowingCallable> calls =
        new LinkedHashMap<>();
    calls.put("fingerprint()", store::fingerprint);
    calls.put("upsert", () -> store.upsert(List.of(it)));
    calls.put("delete", () -> store.delete(List.of("a")));
    calls.put("get", () -> store.get("a"));
    calls.put("count()", store::count);
    calls.put("search", () -> store.search(q, 1, Filter.ALL));
    calls.put("forEach", () -> store.forEach(x -> {}));
    calls.put("commit()", store::commit);
    calls.forEach(
        (name, call) ->
            assertThatThrownBy(call)
                .as(name + " after close")
                .isInstanceOf(ClosedException.class)
                .hasMessageEndingWith(" is closed; open it again to use it."));
  }

  @Test
  void should_ignore_a_second_close() throws IOException {
    Path dir = tempDir.resolve("s");
    VectorStore store = createStore(dir, SMALL);
    store.upsert(List.of(item("a", new float[] {1, 0, 0, 0, 0, 0, 0, 0}, SMALL, Modality.TEXT)));
    store.commit();
    store.close();
    assertThatCode(store::close).as("a second close").doesNotThrowAnyException();
    assumePersistent("the rest of this test reopens the store");
    VectorStore reopened = openStore(dir, false);
    assertThat(reopened.count()).as("the store after a double close").isEqualTo(1);
  }
}
