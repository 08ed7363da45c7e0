package dev.tessera.conformance.broken;

import dev.tessera.api.Condition;
import dev.tessera.api.Filter;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Metadata;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Source;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Broken backends for what a store gives back (issue 16's missed fault classes): each wraps the
 * memory store and loses one kind of fidelity.
 */
public final class FidelityBrokenProviders {
  private FidelityBrokenProviders() {}

  /** search() returns hits without their source. */
  public static final class NoSourceHits extends BrokenProviders.Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner) {
        @Override
        public List<Hit> search(float[] query, int k, Filter filter) throws IOException {
          return inner.search(query, k, filter).stream()
              .map(h -> new Hit(h.id(), h.score(), h.modality(), h.metadata(), Source.NONE))
              .toList();
        }
      };
    }
  }

  /**
   * Metadata filters compare strings case-insensitively and trimmed (a keyword analyzer's fault).
   */
  public static final class CaseInsensitiveMetadata extends BrokenProviders.Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return ForwardingStore.searchingConditions(
          inner,
          (store, query, k, filter, condition) -> {
            Condition folded = fold(condition);
            return store.searchKeeping(query, k, filter, h -> folded.matches(fold(h.metadata())));
          });
    }

    static Object fold(Object v) {
      return v instanceof String s ? s.strip().toLowerCase(Locale.ROOT) : v;
    }

    static Metadata fold(Metadata m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (String key : m.keys()) out.put(key.toLowerCase(Locale.ROOT), fold(m.get(key)));
      return Metadata.of(out);
    }

    static Condition fold(Condition c) {
      return switch (c) {
        case Condition.Compare x ->
            new Condition.Compare(x.key().toLowerCase(Locale.ROOT), x.op(), fold(x.value()));
        case Condition.In x ->
            new Condition.In(
                x.key().toLowerCase(Locale.ROOT),
                x.values().stream().map(CaseInsensitiveMetadata::fold).toList(),
                x.negated());
        case Condition.Exists x ->
            new Condition.Exists(x.key().toLowerCase(Locale.ROOT), x.exists());
        case Condition.And x ->
            new Condition.And(x.parts().stream().map(CaseInsensitiveMetadata::fold).toList());
        case Condition.Or x ->
            new Condition.Or(x.parts().stream().map(CaseInsensitiveMetadata::fold).toList());
        case Condition.Not x -> new Condition.Not(fold(x.inner()));
      };
    }
  }

  /** A reopened store reads its text back as Latin-1 (it was written as UTF-8). */
  public static final class Latin1Reread extends BrokenProviders.Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      if (!opened) return new ForwardingStore(inner);
      return new ForwardingStore(inner) {
        @Override
        public Optional<Item> get(String id) throws IOException {
          return inner.get(id).map(Latin1Reread::mangle);
        }

        @Override
        public List<Hit> search(float[] query, int k, Filter filter) throws IOException {
          return inner.search(query, k, filter).stream()
              .map(
                  h ->
                      new Hit(
                          h.id(),
                          h.score(),
                          h.modality(),
                          mangle(h.metadata()),
                          mangle(h.source())))
              .toList();
        }

        @Override
        public void forEach(Consumer<? super Item> action) throws IOException {
          inner.forEach(it -> action.accept(mangle(it)));
        }
      };
    }

    /** UTF-8 bytes read as windows-1252-like Latin-1, keeping only printable characters. */
    static String mangle(String s) {
      StringBuilder b = new StringBuilder();
      for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
        char c = (char) (x & 0xff);
        b.append(c >= 0x80 && c < 0xa0 ? '?' : c);
      }
      return b.toString();
    }

    static Metadata mangle(Metadata m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (String key : m.keys())
        out.put(mangle(key), m.get(key) instanceof String s ? mangle(s) : m.get(key));
      return Metadata.of(out);
    }

    static Source mangle(Source s) {
      return switch (s) {
        case Source.Text t -> Source.text(mangle(t.text()));
        case Source.Image i -> Source.image(mangle(i.location()));
        case Source.None n -> n;
      };
    }

    static Item mangle(Item it) {
      return new Item(it.id(), it.embedding(), mangle(it.metadata()), mangle(it.source()));
    }
  }

  /** A reopened store forgets that its model's vectors are normalized. */
  public static final class LosesNormalizedFlag extends BrokenProviders.Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner) {
        @Override
        public ModelFingerprint fingerprint() {
          ModelFingerprint fp = inner.fingerprint();
          return opened
              ? ModelFingerprint.of(fp.name(), fp.dimension(), fp.similarity(), false, fp.digest())
              : fp;
        }
      };
    }
  }

  /** A read-only open rewrites a data file and leaves a lock file behind. */
  public static final class ReadOnlyOpenWrites extends BrokenProviders.Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner);
    }

    @Override
    public VectorStore open(StoreContext context) throws IOException {
      VectorStore store = super.open(context);
      if (context.readOnly()) {
        Path dir = context.directory();
        try (Stream<Path> files = Files.list(dir)) {
          for (Path p : files.filter(Files::isRegularFile).toList()) {
            Files.write(p, Files.readAllBytes(p)); // "upgrades" the file in place
            break;
          }
        }
        Files.writeString(dir.resolve("write.lock"), "pid");
      }
      return store;
    }
  }

  /** search() never returns 2 % of the records (those whose id hashes to 0 mod 50). */
  public static final class DropsTwoPercent extends BrokenProviders.Wrapping {
    @Override
    VectorStore wrap(VectorStore inner, boolean opened) {
      return new ForwardingStore(inner) {
        @Override
        public List<Hit> search(float[] query, int k, Filter filter) throws IOException {
          List<Hit> out = new ArrayList<>();
          for (Hit h : inner.search(query, Math.min(10_000, k * 2 + 10), filter)) {
            if (Math.floorMod(h.id().hashCode(), 50) != 0 && out.size() < k) out.add(h);
          }
          return out;
        }
      };
    }
  }

  /** The kit tests that must catch each of these. */
  static Map<Class<? extends BrokenProviders.Wrapping>, List<String>> caughtBy() {
    Map<Class<? extends BrokenProviders.Wrapping>, List<String>> m = new LinkedHashMap<>();
    m.put(
        NoSourceHits.class,
        List.of("should_return_hits_carrying_exactly_the_records_source_metadata_and_modality"));
    m.put(
        CaseInsensitiveMetadata.class,
        List.of(
            "should_match_metadata_values_exactly_by_case_whitespace_empty_value_and_missing_key"));
    m.put(
        Latin1Reread.class,
        List.of("should_keep_non_ascii_cjk_and_emoji_text_of_source_and_metadata_through_reopen"));
    m.put(LosesNormalizedFlag.class, List.of("should_report_its_fingerprint_after_reopen"));
    m.put(
        ReadOnlyOpenWrites.class,
        List.of("should_change_no_file_and_take_no_write_lock_when_opened_read_only"));
    m.put(DropsTwoPercent.class, List.of("should_find_every_record_by_its_own_vector"));
    return m;
  }
}
