package dev.tessera.api;

/**
 * How {@link Condition}s compare metadata values, for stores that evaluate conditions themselves or
 * translate them into their engine's queries: numbers exactly across long and double, strings by
 * code point, booleans by value, and nothing across those kinds.
 */
public final class Values {
  private static final double TWO_63 = 0x1p63;

  private Values() {}

  /** Whether two stored-form values are equal as a condition's {@code =} sees them. */
  public static boolean equal(Object a, Object b) {
    Integer c = compare(a, b);
    if (c != null) return c == 0;
    return a instanceof Boolean && a.equals(b);
  }

  /**
   * The order of two stored-form values as a condition's ranges see it: negative, zero or positive;
   * null when they do not compare (different kinds, or booleans).
   */
  public static Integer compare(Object a, Object b) {
    if (a instanceof String x && b instanceof String y)
      return Integer.signum(compareCodePoints(x, y));
    if (a instanceof Long x) {
      if (b instanceof Long y) return Long.compare(x, y);
      if (b instanceof Double y) return compareExact(x, y);
    } else if (a instanceof Double x) {
      if (b instanceof Double y) return x.doubleValue() == y ? 0 : Double.compare(x, y);
      if (b instanceof Long y) return -compareExact(y, x);
    }
    return null;
  }

  /** Compares a long with a finite double exactly (no rounding of either to the other's type). */
  public static int compareExact(long a, double b) {
    if (Double.isNaN(b)) throw new IllegalArgumentException("NaN does not compare");
    if (b >= TWO_63) return -1;
    if (b < -TWO_63) return 1;
    long whole = (long) b; // truncates toward zero, exact in this range
    if (a != whole) return Long.compare(a, whole);
    double frac = b - whole; // exact: b and whole are within one ulp-range of each other
    return frac > 0 ? -1 : frac < 0 ? 1 : 0;
  }

  /** Compares strings by Unicode code point, which is the order of their UTF-8 bytes. */
  public static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) return Integer.compare(ca, cb);
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
