package dev.tessera.conformance;

import dev.tessera.api.Embedding;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Source;
import dev.tessera.api.collection.VectorCollection;
import dev.tessera.api.spi.StoreContext;
import dev.tessera.api.spi.VectorStore;
import dev.tessera.api.spi.VectorStoreProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The writer process of the kit's crash test: opens a store through its provider class and writes
 * the seeded commits of {@link CrashSteps} (adds, replacements, deletes), printing {@code
 * committing <b>} right before each commit is called and {@code committed <b>} after it returns,
 * until the kit kills it ({@code kill -9}) or {@code maxBatches} are written.
 *
 * <p>Arguments: {@code providerClass directory fingerprint seed batchSize maxBatches [key=value
 * ...]}. With {@value #COLLECTION} as the first argument it opens the directory as a collection
 * through {@link VectorCollection#open(Path, ModelFingerprint, VectorStoreProvider, boolean)} (so
 * it holds the collection's write lock), writes the batches, prints {@value #HOLDING} and keeps the
 * collection open until its stdin closes or it is killed: the other writer of the kit's two-writer
 * test.
 */
public final class CrashWriter {
  /** Line prefix printed right before each commit is called: the kit kills at delays after it. */
  public static final String COMMITTING = "committing ";

  /** Line prefix printed after each commit returns. */
  public static final String COMMITTED = "committed ";

  /** First argument that selects the collection mode. */
  public static final String COLLECTION = "--collection";

  /** Line printed in collection mode once every batch is committed and the lock is held. */
  public static final String HOLDING = "holding";

  /** Vector length of the crash test's records. */
  public static final int DIMENSION = 32;

  private CrashWriter() {}

  /** Runs the writer; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    boolean collection = args.length > 0 && args[0].equals(COLLECTION);
    if (collection) args = Arrays.copyOfRange(args, 1, args.length);
    if (args.length < 6) {
      System.err.println(
          "usage: CrashWriter [--collection] providerClass directory fingerprint seed batchSize"
              + " maxBatches [key=value ...]");
      System.exit(2);
    }
    var constructor = Class.forName(args[0]).getDeclaredConstructor();
    constructor.setAccessible(true); // a test-only provider need not be public
    VectorStoreProvider provider = (VectorStoreProvider) constructor.newInstance();
    Path dir = Path.of(args[1]);
    ModelFingerprint fp = ModelFingerprint.parse(args[2]);
    long seed = Long.parseLong(args[3]);
    int batchSize = Integer.parseInt(args[4]);
    int maxBatches = Integer.parseInt(args[5]);
    Map<String, String> settings = new TreeMap<>();
    for (int i = 6; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    if (collection) {
      holdCollection(provider, dir, fp, seed, batchSize, maxBatches);
      return;
    }
    try (VectorStore store = provider.open(new StoreContext(dir, settings, false))) {
      for (int b = 0; b < maxBatches; b++) {
        CrashSteps.Step step = CrashSteps.step(fp, seed, b, batchSize);
        store.upsert(step.upserts());
        store.delete(step.deletes());
        System.out.println(COMMITTING + b); // the kit may kill this process from now on
        System.out.flush();
        store.commit();
        System.out.println(COMMITTED + b);
        System.out.flush();
      }
    }
  }

  private static void holdCollection(
      VectorStoreProvider provider,
      Path dir,
      ModelFingerprint fp,
      long seed,
      int batchSize,
      int maxBatches)
      throws IOException {
    try (VectorCollection c = VectorCollection.open(dir, fp, provider, false)) {
      for (int b = 0; b < maxBatches; b++) {
        c.upsert(batch(fp, seed, b, batchSize));
        c.commit();
        System.out.println(COMMITTED + b);
      }
      System.out.println(HOLDING);
      System.out.flush();
      while (System.in.read() >= 0) {
        // hold the write lock until the kit closes stdin or kills this process
      }
    }
  }

  /** Batch {@code b} of the crash test: the same records in the writer and in the checking kit. */
  public static List<Item> batch(ModelFingerprint fp, long seed, int b, int batchSize) {
    Random rnd = new Random(seed * 1_000_003L + b);
    List<Item> items = new ArrayList<>(batchSize);
    for (int i = 0; i < batchSize; i++) {
      float[] v = new float[fp.dimension()];
      for (int d = 0; d < v.length; d++) v[d] = (float) rnd.nextGaussian();
      Modality m = i % 2 == 0 ? Modality.IMAGE : Modality.TEXT;
      String id = "b" + b + "-" + i;
      items.add(
          new Item(
              id,
              new Embedding(v, fp, m),
              Map.of("batch", Integer.toString(b)),
              m == Modality.TEXT ? Source.text("text " + id) : Source.image("img/" + id + ".png")));
    }
    return items;
  }
}
