package dev.tessera.index.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.config.DriverExecutionProfile;
import com.datastax.oss.driver.api.core.servererrors.WriteType;
import dev.tessera.api.spi.StoreContext;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which writes are sent again after a server write timeout, and that the store's sessions use the
 * policy (a session on the shared real node).
 */
class WriteRetryPolicyTest {
  @TempDir Path dir;

  @Test
  void should_retry_plain_and_batched_writes_three_times_then_give_up() {
    for (WriteType t :
        new WriteType[] {
          WriteType.SIMPLE, WriteType.BATCH, WriteType.UNLOGGED_BATCH, WriteType.BATCH_LOG
        }) {
      for (int retry = 0; retry < WriteRetryPolicy.WRITE_TIMEOUT_RETRIES; retry++) {
        assertThat(WriteRetryPolicy.retries(t, retry)).as(t + " retry " + retry).isTrue();
      }
      assertThat(WriteRetryPolicy.retries(t, WriteRetryPolicy.WRITE_TIMEOUT_RETRIES))
          .as(t + " after the last retry")
          .isFalse();
    }
  }

  @Test
  void should_never_resend_a_lightweight_transaction_counter_view_or_cdc_write() {
    for (WriteType t :
        new WriteType[] {WriteType.CAS, WriteType.COUNTER, WriteType.VIEW, WriteType.CDC}) {
      assertThat(WriteRetryPolicy.retries(t, 0)).as(t.name()).isFalse();
    }
  }

  @Test
  void should_be_the_retry_policy_of_the_store_sessions() {
    var settings =
        CassandraSettings.from(new StoreContext(dir, TestNode.settings("retry_policy"), false));
    var session = Sessions.of(settings);
    assertThat(session.getContext().getRetryPolicy(DriverExecutionProfile.DEFAULT_NAME))
        .isInstanceOf(WriteRetryPolicy.class);
  }
}
