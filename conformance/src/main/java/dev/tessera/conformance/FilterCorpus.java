package dev.tessera.conformance;

import dev.tessera.api.Embedding;
import dev.tessera.api.Filter;
import dev.tessera.api.Item;
import dev.tessera.api.Metadata;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Source;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The filter tests' data: records whose typed metadata draws on value pools chosen for the rules of
 * {@link dev.tessera.api.Condition} (case, whitespace, empty strings, code point order beyond the
 * BMP, ±0.0, the ends of long, 2^53 and 2^53+1, one key holding longs, doubles, strings and
 * booleans), each key missing from some records. The seed picks ids, vectors, modalities, which
 * record holds which value, and extra bounds between the pool values.
 */
final class FilterCorpus {
  /** The string key. */
  static final String S = "s";

  /** The long key. */
  static final String L = "l";

  /** The double key. */
  static final String D = "d";

  /** The boolean key. */
  static final String B = "b";

  /** The key whose values are of every type across the records (the api allows it). */
  static final String N = "n";

  /** A key no record has. */
  static final String NONE = "no-such-key";

  /** Stands for "the record has no value for the key" in the sets of values the tests compare. */
  static final String MISSING = "<missing>";

  static final long TWO_53 = 1L << 53;

  /**
   * Strings a folding, trimming, normalizing, "empty is absent" or UTF-16-ordered store confuses:
   * "ｚ" (U+FF5A) sorts below "🐱" (U+1F431) by code point but above it by UTF-16 unit.
   */
  static final List<String> STRINGS =
      List.of(
          "", " ", "a", "A", "a ", " a", "ab", "b", "B", "z", "é", "e\u0301", "ß", "SS", "日本",
          "日本語", "中文", "ｚ", "🐱", "🐱🐶");

  /** Longs at the ends of the type and around 2^53, where a double loses the last digit. */
  static final List<Long> LONGS =
      List.of(
          Long.MIN_VALUE,
          Long.MIN_VALUE + 1,
          -TWO_53 - 1,
          -TWO_53,
          -1L,
          0L,
          1L,
          TWO_53,
          TWO_53 + 1,
          TWO_53 + 2,
          Long.MAX_VALUE - 1,
          Long.MAX_VALUE);

  /** Doubles around zero (both signs, the smallest subnormal) and far out. */
  static final List<Double> DOUBLES =
      List.of(
          -1e300,
          -1.5,
          -Double.MIN_VALUE,
          -0.0,
          0.0,
          Double.MIN_VALUE,
          0.1,
          1.5,
          (double) TWO_53,
          1e300);

  /** One key, every type: a long and a double that are equal, and look-alikes of other types. */
  static final List<Object> MIXED =
      List.of(2024L, 2024.0, 2024.5, 2023L, TWO_53 + 1, (double) TWO_53, 0L, -0.0, "2024", true);

  /** The keys and their pools (the boolean key's pool is true and false). */
  static final Map<String, List<?>> POOLS = pools();

  final ModelFingerprint fingerprint;
  final List<Item> items;

  private FilterCorpus(ModelFingerprint fingerprint, List<Item> items) {
    this.fingerprint = fingerprint;
    this.items = items;
  }

  /**
   * {@code n} records (at least every pool's size plus one, so each value and a missing key occur):
   * record i takes pool value i of each key while i is below the pool's size plus one (the last
   * index meaning "missing"), then a seeded draw.
   */
  static FilterCorpus of(long seed, int n, ModelFingerprint fp) {
    Random rnd = new Random(seed);
    List<Item> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Map<String, Object> meta = new LinkedHashMap<>();
      for (Map.Entry<String, List<?>> pool : POOLS.entrySet()) {
        int size = pool.getValue().size();
        int pick = i <= size ? i : rnd.nextInt(size + 1);
        if (pick < size) meta.put(pool.getKey(), pool.getValue().get(pick));
      }
      Modality m = rnd.nextBoolean() ? Modality.IMAGE : Modality.TEXT;
      String id = FidelityContract.seededId(rnd, i);
      float[] v = ConformanceSupport.randomVector(rnd, fp.dimension());
      items.add(new Item(id, new Embedding(v, fp, m), Metadata.of(meta), Source.NONE));
    }
    return new FilterCorpus(fp, List.copyOf(items));
  }

  private static Map<String, List<?>> pools() {
    Map<String, List<?>> m = new LinkedHashMap<>();
    m.put(S, STRINGS);
    m.put(L, LONGS);
    m.put(D, DOUBLES);
    m.put(B, List.of(true, false));
    m.put(N, MIXED);
    return m;
  }

  /**
   * The bounds the operator tests use for {@code key}: every pool value (so each range is tried
   * equal to a stored value), the values of the other numeric key, and a few seeded values between.
   */
  static List<Object> bounds(String key, Random rnd) {
    List<Object> out = new ArrayList<>(POOLS.get(key));
    switch (key) {
      case L -> {
        out.addAll(List.of((double) TWO_53, 0x1p63, -0x1p63, -0.0, 0.5));
        out.add(rnd.nextLong());
        out.add(rnd.nextGaussian() * 1e18);
      }
      case D -> {
        out.addAll(List.of(TWO_53, TWO_53 + 1, 0L, Long.MIN_VALUE));
        out.add(rnd.nextGaussian());
        out.add(rnd.nextDouble() * 1e300);
      }
      case S -> out.add(Long.toString(rnd.nextLong() & Long.MAX_VALUE, 36));
      case N -> out.addAll(List.of(2024.25, "2023", false));
      default -> {}
    }
    return out;
  }

  /** Every comparison on {@code key} with every bound (ranges only where the type has an order). */
  static List<Filter> comparisons(String key, Random rnd) {
    List<Filter> out = new ArrayList<>();
    for (Object v : bounds(key, rnd)) {
      Filter.Key k = Filter.where(key);
      out.add(k.eq(v));
      out.add(k.ne(v));
      if (v instanceof Boolean) continue;
      out.add(k.lt(v));
      out.add(k.lte(v));
      out.add(k.gt(v));
      out.add(k.gte(v));
    }
    return out;
  }

  /** A seeded leaf condition on one of the keys (any operator), for the combination tests. */
  static Filter leaf(Random rnd) {
    List<String> keys = List.copyOf(POOLS.keySet());
    String key = keys.get(rnd.nextInt(keys.size()));
    List<Object> bounds = bounds(key, rnd);
    Object v = bounds.get(rnd.nextInt(bounds.size()));
    Filter.Key k = Filter.where(key);
    int op = rnd.nextInt(v instanceof Boolean ? 5 : 9);
    return switch (op) {
      case 0 -> k.eq(v);
      case 1 -> k.ne(v);
      case 2 -> k.in(v, bounds.get(rnd.nextInt(bounds.size())));
      case 3 -> k.notIn(v, bounds.get(rnd.nextInt(bounds.size())));
      case 4 -> rnd.nextBoolean() ? k.exists() : k.missing();
      case 5 -> k.lt(v);
      case 6 -> k.lte(v);
      case 7 -> k.gt(v);
      default -> k.gte(v);
    };
  }

  /** A seeded and / or / not tree of {@code depth} levels over {@link #leaf} conditions. */
  static Filter tree(Random rnd, int depth) {
    if (depth == 0) return leaf(rnd);
    Filter a = tree(rnd, depth - 1);
    Filter b = tree(rnd, rnd.nextInt(depth));
    return switch (rnd.nextInt(3)) {
      case 0 -> a.and(b);
      case 1 -> a.or(b);
      default -> a.and(b).not();
    };
  }

  /** The value of {@code key} in {@code metadata}, or {@link #MISSING}. */
  static Object valueOf(Metadata metadata, String key) {
    Object v = metadata.get(key);
    return v == null ? MISSING : v;
  }
}
