package dev.tessera.bench.parity;

import dev.tessera.api.Embedding;
import dev.tessera.api.Hit;
import dev.tessera.api.Item;
import dev.tessera.api.Metadata;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import dev.tessera.api.spi.VectorStoreProvider;
import dev.tessera.api.spi.VectorStores;
import dev.tessera.synthetic.ClipLikeVectors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Tessera store driven through the store SPI, as {@code Harness} drives it: created (with the
 * row's create settings), filled with upserts of 5,000, committed ({@code commits} times over equal
 * slices), then reopened read-only once per value of its search setting.
 */
final class SpiEngine implements Engine {
  private final String label;
  private final String provider;
  private final String knob;
  private final List<String> efforts;
  private final int commits;
  private final boolean incremental;
  private final Map<String, String> createSettings;
  private VectorStoreProvider p;
  private Path dir;
  private VectorStore open;

  SpiEngine(String label, String provider, String knob, List<String> efforts, int commits) {
    this(label, provider, knob, efforts, commits, commits > 1, Map.of());
  }

  /**
   * A row whose store is created with {@code createSettings}; {@code incremental} rows (several
   * commits to grow one index) are measured unfiltered only.
   */
  SpiEngine(
      String label,
      String provider,
      String knob,
      List<String> efforts,
      int commits,
      boolean incremental,
      Map<String, String> createSettings) {
    this.label = label;
    this.provider = provider;
    this.knob = knob;
    this.efforts = efforts;
    this.commits = commits;
    this.incremental = incremental;
    this.createSettings = Map.copyOf(createSettings);
  }

  @Override
  public String label() {
    return label;
  }

  @Override
  public String knob() {
    return knob;
  }

  @Override
  public List<String> efforts() {
    return efforts;
  }

  /** The same row with other knob values. */
  SpiEngine withEfforts(List<String> efforts) {
    return new SpiEngine(label, provider, knob, efforts, commits, incremental, createSettings);
  }

  @Override
  public boolean unfilteredOnly() {
    return incremental;
  }

  @Override
  public void build(ParityData data, Path dir) throws IOException {
    this.p = VectorStores.provider(provider);
    if (!knob.isEmpty() && !p.settingNames().contains(knob)) {
      throw new IllegalStateException(
          "Store " + provider + " has no setting '" + knob + "'; it has " + p.settingNames());
    }
    this.dir = dir;
    var fp = data.fingerprint();
    int n = data.corpus().length;
    int batch = 5_000;
    int slice = (n + commits - 1) / commits;
    try (VectorStore store = p.create(new StoreContext(dir, createSettings, false), fp)) {
      for (int start = 0; start < n; start += slice) {
        int end = Math.min(n, start + slice);
        for (int from = start; from < end; from += batch) {
          int to = Math.min(end, from + batch);
          List<Item> items = new ArrayList<>(to - from);
          for (int i = from; i < to; i++) {
            Embedding e = new Embedding(data.corpus()[i], fp, ClipLikeVectors.modalityOf(i));
            items.add(new Item(id(i), e, Metadata.of(ParityData.RANK_KEY, data.rank()[i]), null));
          }
          store.upsert(items);
        }
        store.commit();
      }
    }
  }

  @Override
  public void useEffort(String effort) throws IOException {
    if (open != null) open.close();
    Map<String, String> settings = knob.isEmpty() ? Map.of() : Map.of(knob, effort);
    open = p.open(new StoreContext(dir, settings, true));
  }

  @Override
  public int[] search(float[] query, int k, ParityCase c) throws IOException {
    List<Hit> hits = open.search(query, k, c.filter());
    int[] out = new int[hits.size()];
    for (int i = 0; i < out.length; i++) out[i] = Integer.parseInt(hits.get(i).id(), 1, 9, 10);
    return out;
  }

  static String id(int i) {
    return String.format(java.util.Locale.ROOT, "v%08d", i);
  }

  @Override
  public void close() throws IOException {
    if (open != null) open.close();
    open = null;
  }
}
