package dev.tessera.index.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.schema.KeyspaceMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Similarity;
import java.time.Duration;
import java.util.Optional;

/**
 * The tables of a keyspace that holds {@code cassandra} stores, created when missing.
 *
 * <ul>
 *   <li>{@code tessera_stores}: one row per store, its catalog entry: fingerprint, record table,
 *       the commit pointer (switched with a lightweight transaction) and the counts of that commit.
 *   <li>{@code tessera_journal}: the writes of a commit, written before the pointer switches and
 *       replayed from after it, so a commit is all or nothing.
 *   <li>{@code records_<similarity>_<dimension>}: the records of every store of that vector shape,
 *       one partition per store, with SAI indexes on the vector (the fingerprint's similarity), the
 *       modality and the metadata terms. Stores share it so that a new store costs one row, not
 *       four schema changes (about 5 s on a small machine).
 * </ul>
 *
 * <p>Whether they exist is asked of the session's schema metadata (the driver keeps it current from
 * the cluster's schema events; no round trip), not of a cache in this JVM: a cache keyed by name
 * went stale when one JVM talked to a second cluster, or after a keyspace was dropped, and then
 * skipped the DDL ("keyspace ... does not exist").
 */
final class Schema {
  private static final String[] INDEX_SUFFIXES = {"_vector", "_modality", "_terms"};

  private Schema() {}

  /** The record table for vectors of {@code fp}'s shape. */
  static String recordTable(ModelFingerprint fp) {
    return "records_" + fp.similarity().id().replace('-', '_') + "_" + fp.dimension();
  }

  /** Creates the keyspace and the catalog and journal tables when missing. */
  static void ensureKeyspace(CqlSession session, CassandraSettings settings) {
    String ks = settings.keyspace();
    if (table(session, ks, "tessera_stores").isPresent()
        && table(session, ks, "tessera_journal").isPresent()) return;
    ddl(
        session,
        settings,
        "CREATE KEYSPACE IF NOT EXISTS "
            + ks
            + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': "
            + settings.replicationFactor()
            + "}");
    ddl(
        session,
        settings,
        "CREATE TABLE IF NOT EXISTS "
            + ks
            + ".tessera_stores (store text PRIMARY KEY, fingerprint text, record_table text,"
            + " created_micros bigint, committed bigint, committed_txn uuid, applied bigint,"
            + " count bigint, count_text bigint, count_image bigint)");
    ddl(
        session,
        settings,
        "CREATE TABLE IF NOT EXISTS "
            + ks
            + ".tessera_journal (store text, commit bigint, txn uuid, chunk int, ops blob,"
            + " PRIMARY KEY ((store), commit, txn, chunk))");
  }

  /** Creates the record table for {@code fp}'s vectors and its SAI indexes when missing. */
  static void ensureRecordTable(
      CqlSession session, CassandraSettings settings, ModelFingerprint fp) {
    String table = settings.keyspace() + "." + recordTable(fp);
    if (hasIndexes(table(session, settings.keyspace(), recordTable(fp)), recordTable(fp))) return;
    ddl(
        session,
        settings,
        "CREATE TABLE IF NOT EXISTS "
            + table
            + " (store text, id text, modality text, vector vector<float, "
            + fp.dimension()
            + ">, meta blob, terms map<text, text>, source text,"
            + " PRIMARY KEY ((store), id))");
    String name = recordTable(fp);
    ddl(
        session,
        settings,
        "CREATE CUSTOM INDEX IF NOT EXISTS "
            + name
            + "_vector ON "
            + table
            + " (vector) USING 'StorageAttachedIndex' WITH OPTIONS = {'similarity_function': '"
            + similarityFunction(fp.similarity())
            + "'}");
    ddl(
        session,
        settings,
        "CREATE CUSTOM INDEX IF NOT EXISTS "
            + name
            + "_modality ON "
            + table
            + " (modality) USING 'StorageAttachedIndex'");
    ddl(
        session,
        settings,
        "CREATE CUSTOM INDEX IF NOT EXISTS "
            + name
            + "_terms ON "
            + table
            + " (entries(terms)) USING 'StorageAttachedIndex'");
  }

  private static Optional<TableMetadata> table(CqlSession session, String ks, String table) {
    Optional<KeyspaceMetadata> k = session.getMetadata().getKeyspace(ks);
    return k.isEmpty() ? Optional.empty() : k.get().getTable(table);
  }

  private static boolean hasIndexes(Optional<TableMetadata> table, String name) {
    if (table.isEmpty()) return false;
    for (String suffix : INDEX_SUFFIXES) {
      if (table.get().getIndexes().keySet().stream()
          .noneMatch(id -> id.asInternal().equals(name + suffix))) return false;
    }
    return true;
  }

  /** SAI's name for a similarity; scores are recomputed on Tessera's scale anyway. */
  static String similarityFunction(Similarity s) {
    return switch (s) {
      case COSINE -> "COSINE";
      case DOT_PRODUCT -> "DOT_PRODUCT";
      case EUCLIDEAN -> "EUCLIDEAN";
    };
  }

  private static void ddl(CqlSession session, CassandraSettings settings, String cql) {
    Duration t = settings.requestTimeout().multipliedBy(4);
    session.execute(SimpleStatement.newInstance(cql).setTimeout(t));
  }
}
