package dev.tessera.bench.archfixture;

/** A class in bench for the fixtures to depend on. */
public class BenchMarker {}
