package dev.tessera.cycle.a;

/** Half of a package cycle. */
public class A {
  /** a → b. */
  public dev.tessera.cycle.b.B b;
}
