package dev.tessera.cassandra.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.data.CqlVector;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A real node, shared by the tests of this class in order: it serves CQL and vector search, stops
 * cleanly, and keeps its data across a restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CassandraNodeTest {
  static CqlSession connect(CassandraNode node) {
    return CqlSession.builder()
        .addContactPoint(node.contactPoint())
        .withLocalDatacenter(node.datacenter())
        .withConfigLoader(Driver.config())
        .build();
  }

  @Test
  @Order(1)
  void a_node_answers_cql_and_an_ann_query_on_an_sai_index() {
    CassandraNode node = SharedCassandra.node();
    assertThat(node.isRunning()).isTrue();
    assertThat(node.address()).isEqualTo("127.0.0.1");
    try (CqlSession session = connect(node)) {
      Row version = session.execute("SELECT release_version FROM system.local").one();
      assertThat(version.getString("release_version")).startsWith("5.0.");
      session.execute(
          "CREATE KEYSPACE launcher_node WITH replication = {'class': 'SimpleStrategy',"
              + " 'replication_factor': 1}");
      session.execute("CREATE TABLE launcher_node.items (id int PRIMARY KEY, v vector<float, 3>)");
      session.execute(
          "CREATE CUSTOM INDEX items_v ON launcher_node.items(v) USING 'StorageAttachedIndex'"
              + " WITH OPTIONS = {'similarity_function': 'euclidean'}");
      var insert = session.prepare("INSERT INTO launcher_node.items (id, v) VALUES (?, ?)");
      session.execute(insert.bind(1, CqlVector.newInstance(1f, 0f, 0f)));
      session.execute(insert.bind(2, CqlVector.newInstance(0f, 1f, 0f)));
      session.execute(insert.bind(3, CqlVector.newInstance(0.9f, 0.1f, 0f)));
      session.execute(insert.bind(4, CqlVector.newInstance(0f, 0f, 1f)));

      List<Integer> nearest =
          session
              .execute(
                  session
                      .prepare("SELECT id FROM launcher_node.items ORDER BY v ANN OF ? LIMIT 2")
                      .bind(CqlVector.newInstance(1f, 0.05f, 0f)))
              .all()
              .stream()
              .map(r -> r.getInt("id"))
              .toList();
      assertThat(nearest).containsExactly(1, 3);
    }
  }

  @Test
  @Order(2)
  void a_stopped_node_frees_its_port_and_its_process_is_gone() {
    CassandraNode node = SharedCassandra.node();
    long pid = node.pid();
    node.stop();
    assertThat(node.isRunning()).isFalse();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    assertThat(CqlProbe.listening(node.contactPoint())).as("CQL port still open").isFalse();
    assertThat(PortCheck.bindable(node.address(), node.nativePort()))
        .as("native port bindable")
        .isTrue();
    assertThat(PortCheck.bindable(node.address(), node.storagePort()))
        .as("storage port bindable")
        .isTrue();
  }

  @Test
  @Order(3)
  void a_restarted_node_serves_what_it_had_before_it_stopped() {
    CassandraNode node = SharedCassandra.node();
    assertThat(node.isRunning()).isTrue();
    try (CqlSession session = connect(node)) {
      assertThat(session.execute("SELECT count(*) FROM launcher_node.items").one().getLong(0))
          .isEqualTo(4);
    }
  }
}
