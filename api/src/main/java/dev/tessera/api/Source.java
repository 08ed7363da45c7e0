package dev.tessera.api;

import java.util.Objects;

/**
 * Where a record came from, kept so a collection can be re-embedded with another model without the
 * user supplying the data again: the text itself, a reference to an image, or nothing.
 */
public sealed interface Source {

  /** The text that was embedded. */
  record Text(String text) implements Source {
    /** Validates the text is not null. */
    public Text {
      Objects.requireNonNull(text, "text");
      WellFormed.require(text, "A text source");
    }
  }

  /** A reference to the image that was embedded: a path or a URI the application can resolve. */
  record Image(String location) implements Source {
    /** Validates the location is not blank. */
    public Image {
      if (location == null || location.isBlank()) {
        throw new IllegalArgumentException("An image source needs a location (a path or URI).");
      }
      WellFormed.require(location, "An image source's location");
    }
  }

  /** No source was kept: such a record can not be re-embedded and is reported by reindex. */
  record None() implements Source {}

  /** The shared "no source" value. */
  None NONE = new None();

  /** A text source. */
  static Source text(String text) {
    return new Text(text);
  }

  /** An image source. */
  static Source image(String location) {
    return new Image(location);
  }

  /** Whether a re-embedding can start from this source. */
  default boolean isPresent() {
    return !(this instanceof None);
  }

  /** A one-string form for stores: {@code text:…}, {@code image:…} or {@code none}. */
  default String encode() {
    return switch (this) {
      case Text t -> "text:" + t.text();
      case Image i -> "image:" + i.location();
      case None n -> "none";
    };
  }

  /** Reads the form written by {@link #encode()}; null reads as {@link #NONE}. */
  static Source decode(String encoded) {
    if (encoded == null || encoded.equals("none")) return NONE;
    if (encoded.startsWith("text:")) return new Text(encoded.substring(5));
    if (encoded.startsWith("image:")) return new Image(encoded.substring(6));
    throw new IllegalArgumentException(
        "Not an encoded source: '" + encoded + "' (expected text:…, image:… or none).");
  }
}
