package dev.tessera.api;

/** The type of a {@link Metadata} value. */
public enum MetadataType {
  /** A {@link String}. */
  STRING("string", String.class),
  /** A whole number, a {@link Long}. */
  LONG("long", Long.class),
  /** A finite {@link Double}. */
  DOUBLE("double", Double.class),
  /** A {@link Boolean}. */
  BOOLEAN("boolean", Boolean.class);

  private final String id;
  private final Class<?> javaType;

  MetadataType(String id, Class<?> javaType) {
    this.id = id;
    this.javaType = javaType;
  }

  /** The lower-case name used in messages and files. */
  public String id() {
    return id;
  }

  /** The Java class of values of this type. */
  public Class<?> javaType() {
    return javaType;
  }

  /** Whether values of this type are numbers (long and double compare with each other). */
  public boolean isNumeric() {
    return this == LONG || this == DOUBLE;
  }

  /** The type of a stored metadata value; anything else is an {@link IllegalArgumentException}. */
  public static MetadataType of(Object value) {
    return switch (value) {
      case String s -> STRING;
      case Long l -> LONG;
      case Double d -> DOUBLE;
      case Boolean b -> BOOLEAN;
      case null -> throw new IllegalArgumentException("A metadata value is never null.");
      default ->
          throw new IllegalArgumentException(
              "Not a stored metadata value: " + value.getClass().getName());
    };
  }

  static MetadataType of(Class<?> type) {
    for (MetadataType t : values()) {
      if (t.javaType == type) return t;
    }
    throw new IllegalArgumentException("Not a metadata type: " + type.getName());
  }
}
