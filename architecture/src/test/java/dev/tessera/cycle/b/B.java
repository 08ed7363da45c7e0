package dev.tessera.cycle.b;

/** The other half of a package cycle. */
public class B {
  /** b → a. */
  public dev.tessera.cycle.a.A a;
}
