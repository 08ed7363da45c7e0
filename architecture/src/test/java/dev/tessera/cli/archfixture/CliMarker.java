package dev.tessera.cli.archfixture;

/** A class in cli for the fixtures to depend on. */
public class CliMarker {}
