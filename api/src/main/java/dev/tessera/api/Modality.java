package dev.tessera.api;

import java.util.Locale;

/** What kind of content an embedding was made from. */
public enum Modality {
  /** A piece of text, such as a caption or a note. */
  TEXT,
  /** An image. */
  IMAGE;

  /**
   * Parses {@code text}/{@code image} (any case); the error names the value and the accepted ones.
   */
  public static Modality parse(String value) {
    if (value != null) {
      String v = value.trim().toUpperCase(Locale.ROOT);
      if (v.equals("TEXTS")) return TEXT;
      if (v.equals("IMAGES")) return IMAGE;
      for (Modality m : values()) {
        if (m.name().equals(v)) return m;
      }
    }
    throw new IllegalArgumentException("Unknown modality '" + value + "': use 'text' or 'image'.");
  }

  /** The lower-case name used in files and on the command line. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
