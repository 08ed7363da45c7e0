package dev.tessera.encoders.onnx.archfixture;

/** A class in the encoder's package so the backend rule has every module to check. */
public class OnnxMarker {}
