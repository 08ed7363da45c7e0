package dev.tessera.bench.parity;

import java.io.IOException;
import java.util.List;

/**
 * One row of the parity run: a Tessera store through the SPI or a raw library, built once over a
 * data set and then searched at each value of its accuracy knob.
 */
interface Engine extends AutoCloseable {
  /** The row's name, e.g. {@code lucene} or {@code raw-lucene}. */
  String label();

  /** The accuracy knob's name (empty when there is none). */
  String knob();

  /** The knob's values to sweep, least effort first. */
  List<String> efforts();

  /**
   * Starts what the row needs before its build is timed (a database server); nothing for the
   * embedded rows. {@link #close()} stops it, also after a failed start.
   */
  default void start() throws IOException {}

  /**
   * Builds the index over {@code data} under {@code dir}; the caller times it. After {@link
   * #start()}; {@link #search} may then be called from several threads at once.
   */
  void build(ParityData data, java.nio.file.Path dir) throws IOException;

  /** Makes {@code effort} current (a store may reopen itself with the setting). */
  void useEffort(String effort) throws IOException;

  /** The corpus rows of the top {@code k} of {@code query} under case {@code c}, best first. */
  int[] search(float[] query, int k, ParityCase c) throws IOException;

  /** Whether this row is measured on the unfiltered case only (the incremental rows). */
  default boolean unfilteredOnly() {
    return false;
  }

  @Override
  void close() throws IOException;
}
