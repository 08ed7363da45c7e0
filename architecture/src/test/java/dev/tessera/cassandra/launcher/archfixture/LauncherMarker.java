package dev.tessera.cassandra.launcher.archfixture;

/** A class in the Cassandra launcher for the fixtures to depend on. */
public class LauncherMarker {}
