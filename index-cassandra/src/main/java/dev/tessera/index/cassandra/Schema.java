package dev.tessera.index.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.tessera.api.ModelFingerprint;
import dev.tessera.api.Similarity;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
 */
final class Schema {
  /** Tables this JVM has created or seen, as {@code keyspace.table}. */
  private static final Set<String> READY = ConcurrentHashMap.newKeySet();

  private Schema() {}

  /** The record table for vectors of {@code fp}'s shape. */
  static String recordTable(ModelFingerprint fp) {
    return "records_" + fp.similarity().id().replace('-', '_') + "_" + fp.dimension();
  }

  /** Creates the keyspace and the catalog and journal tables when missing. */
  static void ensureKeyspace(CqlSession session, CassandraSettings settings) {
    String ks = settings.keyspace();
    if (READY.contains(ks + ".tessera_stores")) return;
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
    READY.add(ks + ".tessera_stores");
  }

  /** Creates the record table for {@code fp}'s vectors and its SAI indexes when missing. */
  static void ensureRecordTable(
      CqlSession session, CassandraSettings settings, ModelFingerprint fp) {
    String table = settings.keyspace() + "." + recordTable(fp);
    if (READY.contains(table)) return;
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
    READY.add(table);
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
