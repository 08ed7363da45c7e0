package dev.tessera.conformance;

import dev.tessera.api.Embedding;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Source;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the kit's concurrency test knows while threads write: every version ever meant for an id,
 * the owned ids each writer has live or deleted, and each writer's last write of every hot id (ids
 * all writers fight over). Between phases only the test's own thread reads it; during a phase each
 * writer touches its own slots, and the shared maps are concurrent.
 */
final class ConcurrentLedger {
  /** Ids every writer upserts and deletes: hot-key contention. */
  static final int HOT_IDS = 8;

  /** Ids written once before the threads start and never again. */
  static final int BASE = 50;

  final List<Item> base;

  /** Every vector written or about to be written under an id (known before the write starts). */
  final Map<String, List<float[]>> versions = new ConcurrentHashMap<>();

  /** Owned ids deleted for good (added once the delete returned). */
  final Set<String> gone = ConcurrentHashMap.newKeySet();

  /** Per writer: its live owned records, in the order written. */
  final List<LinkedHashMap<String, Item>> owned = new ArrayList<>();

  /** Per writer: how many owned ids it has made. */
  final int[] made;

  /** Per writer: its last write of each hot id in this phase (empty: a delete). */
  final List<Map<String, Optional<Item>>> lastHot = new ArrayList<>();

  /** The hot ids' state as found after the last phase (absent entry: not there). */
  final Map<String, Item> hot = new HashMap<>();

  ConcurrentLedger(List<Item> base, int writers) {
    this.base = List.copyOf(base);
    for (Item it : base) know(it);
    made = new int[writers];
    for (int w = 0; w < writers; w++) {
      owned.add(new LinkedHashMap<>());
      lastHot.add(new HashMap<>());
    }
  }

  /** Records a version of an id before it is written, so a reader may already see it. */
  void know(Item it) {
    versions
        .computeIfAbsent(it.id(), k -> new CopyOnWriteArrayList<>())
        .add(it.embedding().vector());
  }

  /** A new owned record of writer {@code w}, drawn from {@code rnd}. */
  Item nextOwned(int w, Random rnd, ModelFingerprint fp) {
    String id = "w" + w + "-" + made[w]++;
    return record(id, rnd, fp, "own " + id);
  }

  /** A version of hot id {@code h}, tagged with who wrote it when. */
  static Item hotVersion(int h, Random rnd, ModelFingerprint fp, String tag) {
    return record(hotId(h), rnd, fp, tag);
  }

  static String hotId(int h) {
    return "hot-" + h;
  }

  private static Item record(String id, Random rnd, ModelFingerprint fp, String tag) {
    float[] v = new float[fp.dimension()];
    for (int i = 0; i < v.length; i++) v[i] = (float) rnd.nextGaussian();
    Modality m = rnd.nextBoolean() ? Modality.IMAGE : Modality.TEXT;
    return new Item(
        id,
        new Embedding(v, fp, m),
        Map.of("by", tag),
        m == Modality.TEXT ? Source.text("text of " + tag) : Source.image("img/" + id + ".jpg"));
  }

  /**
   * What hot id {@code h} may hold after a phase: each writer's last write of it (a linearizable
   * store ends with one of them), or its state before the phase when no writer touched it. An empty
   * Optional stands for "absent".
   */
  List<Optional<Item>> allowedHot(int h) {
    List<Optional<Item>> allowed = new ArrayList<>();
    for (Map<String, Optional<Item>> last : lastHot) {
      Optional<Item> o = last.get(hotId(h));
      if (o != null) allowed.add(o);
    }
    if (allowed.isEmpty()) allowed.add(Optional.ofNullable(hot.get(hotId(h))));
    return allowed;
  }

  /** The exact expected records but the hot ones: base and every writer's live owned records. */
  Map<String, Item> expectedCold() {
    Map<String, Item> e = new LinkedHashMap<>();
    for (Item it : base) e.put(it.id(), it);
    for (LinkedHashMap<String, Item> o : owned) e.putAll(o);
    return e;
  }
}
