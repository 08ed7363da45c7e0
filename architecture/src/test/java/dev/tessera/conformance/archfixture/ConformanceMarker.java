package dev.tessera.conformance.archfixture;

/** A class in the conformance package so the backend rule has every module to check. */
public class ConformanceMarker {}
