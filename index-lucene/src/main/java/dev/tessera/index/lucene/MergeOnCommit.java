package dev.tessera.index.lucene;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a large batch, one segment: a search walks one graph per modality instead of one per
 * segment and modality (4 segments cost 4.1x the QPS at 100k). The store calls {@link #afterCommit}
 * while it still holds its batch lock, so the merge's own commit holds exactly the writes of the
 * commit just made (searches on the current searcher go on); those writes are already durable, so a
 * failed merge is logged, not thrown, and a writer it broke reports that on the next call.
 */
final class MergeOnCommit {
  private static final Logger LOG = LoggerFactory.getLogger(MergeOnCommit.class);

  /** Share of the store, in percent, that upserts since the last merge must reach for the next. */
  static final int MERGE_AFTER_PERCENT = 10;

  /** Records upserted through the store, and that count at the last merge on commit. */
  private final AtomicLong upserted = new AtomicLong();

  private final AtomicLong mergedAt = new AtomicLong();

  /** Counts records written by an upsert. */
  void upserted(int records) {
    upserted.addAndGet(records);
  }

  /** Merges to one segment and commits when due; whether it did. */
  boolean afterCommit(IndexWriter writer, Directory directory, Path path) {
    try {
      if (!due(writer, directory)) return false;
      writer.forceMerge(1);
      writer.commit();
      mergedAt.set(upserted.get());
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "The lucene store in {} could not merge its segments after a commit ({}); the commit is"
              + " kept, searches walk one graph per segment until a later commit merges them.",
          path,
          e.toString());
      LOG.debug("Merge failure", e);
      return false;
    }
  }

  /**
   * Whether the records upserted since the last merge on commit are at least {@value
   * #MERGE_AFTER_PERCENT}% of the store and it has more than one segment. The share keeps merges
   * amortized (each rewrites the store once per tenth it grows, and reuses the largest segment's
   * graph), so small commits leave their segments to Lucene's merge policy until they add up.
   */
  private boolean due(IndexWriter writer, Directory directory) throws IOException {
    long since = upserted.get() - mergedAt.get();
    if (since <= 0) return false;
    var stats = writer.getDocStats();
    return since * 100 >= (long) stats.numDocs * MERGE_AFTER_PERCENT
        && SegmentInfos.readLatestCommit(directory).size() > 1;
  }
}
