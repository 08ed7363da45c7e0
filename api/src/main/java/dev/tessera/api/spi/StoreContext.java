package dev.tessera.api.spi;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where a store lives and how it was configured: its own directory (the store owns everything
 * inside it), its settings (string keys and values, persisted by the collection and passed again on
 * every open) and whether it is opened read-only.
 */
public record StoreContext(Path directory, Map<String, String> settings, boolean readOnly) {
  /** Validates and copies. */
  public StoreContext {
    Objects.requireNonNull(directory, "directory");
    settings =
        settings == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new TreeMap<>(settings));
  }

  /** A writable context with no settings. */
  public static StoreContext of(Path directory) {
    return new StoreContext(directory, Map.of(), false);
  }

  /** The setting {@code key}, or {@code defaultValue} when it is not set. */
  public String setting(String key, String defaultValue) {
    return settings.getOrDefault(key, defaultValue);
  }

  /** An integer setting; the error names the key, the value and the accepted range. */
  public int intSetting(String key, int defaultValue, int min, int max) {
    String v = settings.get(key);
    if (v == null) return defaultValue;
    try {
      int i = Integer.parseInt(v.trim());
      if (i < min || i > max) throw new NumberFormatException();
      return i;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Store setting "
              + key
              + "="
              + v
              + " is invalid: use a whole number from "
              + min
              + " to "
              + max
              + ".");
    }
  }

  /** A decimal setting; the error names the key, the value and the accepted range. */
  public double doubleSetting(String key, double defaultValue, double min, double max) {
    String v = settings.get(key);
    if (v == null) return defaultValue;
    try {
      double d = Double.parseDouble(v.trim());
      if (!(d >= min && d <= max)) throw new NumberFormatException();
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Store setting "
              + key
              + "="
              + v
              + " is invalid: use a number from "
              + min
              + " to "
              + max
              + ".");
    }
  }

  /** A boolean setting ({@code true}/{@code false}); the error names the key and the value. */
  public boolean booleanSetting(String key, boolean defaultValue) {
    String v = settings.get(key);
    if (v == null) return defaultValue;
    return switch (v.trim()) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(
              "Store setting " + key + "=" + v + " is invalid: use true or false.");
    };
  }
}
