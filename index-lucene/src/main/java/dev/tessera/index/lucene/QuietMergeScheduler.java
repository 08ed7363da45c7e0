package dev.tessera.index.lucene;

import java.nio.file.Path;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lucene's concurrent merge scheduler without its stack traces: by default a merge that fails (a
 * full disk, a damaged segment) rethrows on its merge thread and the JVM prints the trace to
 * stderr. Here it becomes one warning through SLF4J (the trace at debug level). Nothing is lost by
 * it: Lucene records the failure in its writer, so the next write, commit or read of the store
 * throws it as an {@link java.io.IOException} naming the store and what to do.
 */
final class QuietMergeScheduler extends ConcurrentMergeScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(QuietMergeScheduler.class);

  private final Path path;

  QuietMergeScheduler(Path path) {
    this.path = path;
  }

  @Override
  protected void handleMergeException(Throwable exc) {
    LOG.warn(
        "A background merge of the lucene store in {} failed ({}); the store reports it on its next"
            + " call.",
        path,
        Failures.describe(exc));
    LOG.debug("The failed merge of the lucene store in {}", path, exc);
  }
}
