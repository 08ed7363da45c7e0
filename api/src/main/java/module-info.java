/**
 * Tessera's API: value types, the encoder and vector-store SPIs, the fingerprint guard and distance
 * kernels.
 */
module dev.tessera.api {
  requires static jdk.incubator.vector;

  exports dev.tessera;
  exports dev.tessera.api;
  exports dev.tessera.api.spi;
  exports dev.tessera.api.math;
  exports dev.tessera.api.collection;
  exports dev.tessera.api.search;

  uses dev.tessera.api.spi.VectorStoreProvider;
  uses dev.tessera.api.spi.EncoderProvider;
  uses dev.tessera.api.spi.RuntimeComponent;
}
