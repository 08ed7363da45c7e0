/**
 * Seeded synthetic data for tests, the conformance kit and the bench: CLIP-like and clustered
 * vectors, and the pictures and captions of the project's small CLIP.
 */
module dev.tessera.synthetic {
  requires transitive dev.tessera.api;
  requires transitive java.desktop;

  exports dev.tessera.synthetic;
}
