package dev.tessera.api;

/** Checks on user text that every store must be able to write and read back unchanged. */
final class WellFormed {
  private WellFormed() {}

  /**
   * Throws unless {@code s} is well-formed UTF-16: a lone surrogate can not be encoded as UTF-8, so
   * a store would write it as '?' and give back another string than it was given.
   */
  static void require(String s, String what) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        throw lone(what, s, i, c);
      }
      if (Character.isLowSurrogate(c)) throw lone(what, s, i, c);
    }
  }

  private static IllegalArgumentException lone(String what, String s, int i, char c) {
    return new IllegalArgumentException(
        what
            + " holds a lone UTF-16 surrogate (\\u"
            + String.format("%04X", (int) c)
            + ") at index "
            + i
            + ", which no store can keep: "
            + "it is not a character. Fix the text (it was probably cut in the middle of an emoji"
            + " or decoded with the wrong charset).");
  }
}
