package dev.tessera.index.cassandra;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.context.DriverContext;
import com.datastax.oss.driver.api.core.retry.RetryVerdict;
import com.datastax.oss.driver.api.core.servererrors.WriteType;
import com.datastax.oss.driver.api.core.session.Request;
import com.datastax.oss.driver.internal.core.retry.DefaultRetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's retry policy for the store's sessions: the driver's default, except that a write
 * that timed out on the server is sent again, up to {@value #WRITE_TIMEOUT_RETRIES} times, when it
 * is idempotent and not a lightweight transaction.
 *
 * <p>Why: on a loaded cluster a replica can miss the server's {@code write_request_timeout} (2 s by
 * default) and the coordinator answers "2 replicas were required but only 1 acknowledged"; the
 * default policy gives up at once on such a write (it retries only batch-log writes), which failed
 * a 100k-record ingest into three nodes on two cores. The driver consults a retry policy only for
 * statements marked idempotent, and the store marks only writes that are: journal chunks (same key,
 * same bytes), record writes (each carries its commit's write timestamp, so a second delivery
 * changes nothing) and the bookkeeping that follows them. The commit pointer's lightweight
 * transaction ({@link WriteType#CAS}) is never retried here: its outcome after a timeout is
 * resolved by reading the pointer at SERIAL ({@code Catalog#switchTo}).
 */
public class WriteRetryPolicy extends DefaultRetryPolicy {
  /** How often one idempotent write is sent again after a server write timeout. */
  static final int WRITE_TIMEOUT_RETRIES = 3;

  private static final Logger LOG = LoggerFactory.getLogger(WriteRetryPolicy.class);

  /** Called by the driver, which names this class in the session's configuration. */
  public WriteRetryPolicy(DriverContext context, String profileName) {
    super(context, profileName);
  }

  @Override
  public RetryVerdict onWriteTimeoutVerdict(
      Request request,
      ConsistencyLevel cl,
      WriteType writeType,
      int blockFor,
      int received,
      int retryCount) {
    if (retries(writeType, retryCount)) {
      // Rare by nature, and the evidence that a cluster is overloaded: logged at INFO.
      LOG.info(
          "Write timed out at {} ({} of {} replicas acknowledged, {} write); sending it again"
              + " (retry {} of {})",
          cl,
          received,
          blockFor,
          writeType,
          retryCount + 1,
          WRITE_TIMEOUT_RETRIES);
      return RetryVerdict.RETRY_NEXT;
    }
    return super.onWriteTimeoutVerdict(request, cl, writeType, blockFor, received, retryCount);
  }

  /**
   * Whether an idempotent write of {@code writeType} that timed out {@code retryCount} times before
   * is sent again (to the next node): plain and batched writes are; counters, lightweight
   * transactions, views and CDC writes are left to the default policy.
   */
  static boolean retries(WriteType writeType, int retryCount) {
    boolean plain =
        writeType == WriteType.SIMPLE
            || writeType == WriteType.BATCH
            || writeType == WriteType.UNLOGGED_BATCH
            || writeType == WriteType.BATCH_LOG;
    return plain && retryCount < WRITE_TIMEOUT_RETRIES;
  }
}
