package dev.tessera.index.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/** One store's partition of a record table: its statements, at the store's consistency levels. */
final class RecordTable {
  /** Ids per {@code IN} lookup. */
  private static final int IN_BATCH = 100;

  /**
   * A batch holds about this many bytes of rows at most (Cassandra refuses batches over 50 KiB).
   */
  private static final int BATCH_BYTES = 24 * 1024;

  /** A batch holds at most this many rows. */
  private static final int BATCH_ROWS = 64;

  /** Batches in flight per record table from this JVM (see {@link #apply}). */
  private static final Map<String, Semaphore> PERMITS = new ConcurrentHashMap<>();

  private final CqlSession session;
  private final CassandraSettings settings;
  private final String table;
  private final String store;
  private final ModelFingerprint fp;
  private final PreparedStatement insert;
  private final PreparedStatement delete;
  private final PreparedStatement get;
  private final PreparedStatement modalities;
  private final PreparedStatement rows;

  RecordTable(
      CqlSession session,
      CassandraSettings settings,
      String table,
      String store,
      ModelFingerprint fp) {
    this.session = session;
    this.settings = settings;
    this.table = settings.keyspace() + "." + table;
    this.store = store;
    this.fp = fp;
    insert =
        session.prepare(
            "INSERT INTO "
                + this.table
                + " (store, id, modality, vector, meta, terms, source) VALUES (?, ?, ?, ?, ?, ?, ?)"
                + " USING TIMESTAMP ?");
    delete =
        session.prepare(
            "DELETE FROM " + this.table + " USING TIMESTAMP ? WHERE store = ? AND id = ?");
    get =
        session.prepare(
            "SELECT " + Records.COLUMNS + " FROM " + this.table + " WHERE store = ? AND id = ?");
    rows =
        session.prepare(
            "SELECT " + Records.COLUMNS + " FROM " + this.table + " WHERE store = ? AND id IN ?");
    modalities =
        session.prepare("SELECT id, modality FROM " + this.table + " WHERE store = ? AND id IN ?");
  }

  /**
   * Applies {@code ops} (id to record, or null for a delete) with write timestamp {@code ts}, in
   * single-partition batches of about {@value #BATCH_BYTES} bytes, at most {@link
   * CassandraSettings#writeConcurrency()} of them in flight from this JVM. Cassandra 5.0.6 fails
   * writes when more than a few mutations insert into one table's in-memory vector index at once
   * (CASSANDRA-21644, "Number of outstanding pooled objects has gone beyond the limit of 3"); a
   * batch is applied by one server thread, so batches keep the concurrency low and the rate up.
   */
  void apply(Map<String, Item> ops, long ts) {
    List<CompletableFuture<?>> sent = new ArrayList<>();
    BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.UNLOGGED);
    long bytes = 0;
    try {
      for (Map.Entry<String, Item> op : ops.entrySet()) {
        Item it = op.getValue();
        batch.addStatement(
            it == null
                ? delete.bind(ts, store, op.getKey())
                : insert.bind(
                    store,
                    it.id(),
                    it.modality().id(),
                    Records.vector(it.embedding().vector()),
                    Records.metaBytes(it.metadata()),
                    Records.terms(it.metadata()),
                    it.source().encode(),
                    ts));
        bytes += 64 + 3L * op.getKey().length() + (it == null ? 0 : Records.estimatedBytes(it));
        if (bytes >= BATCH_BYTES || batch.getStatementsCount() >= BATCH_ROWS) {
          sent.add(send(batch.build()));
          batch = BatchStatement.builder(DefaultBatchType.UNLOGGED);
          bytes = 0;
        }
      }
      if (batch.getStatementsCount() > 0) sent.add(send(batch.build()));
      sent.forEach(CompletableFuture::join);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while applying a commit", e);
    }
  }

  private CompletableFuture<?> send(BatchStatement b) throws InterruptedException {
    Semaphore permits =
        PERMITS.computeIfAbsent(table, t -> new Semaphore(settings.writeConcurrency()));
    permits.acquire();
    return session
        .executeAsync(
            // Idempotent: every row carries its commit's write timestamp, so a second delivery
            // (WriteRetryPolicy, after a server write timeout) changes nothing.
            b.setConsistencyLevel(settings.writeConsistency())
                .setTimeout(settings.requestTimeout())
                .setIdempotent(true))
        .toCompletableFuture()
        .whenComplete((r, e) -> permits.release());
  }

  /** The committed record {@code id} as the table holds it. */
  Optional<Item> get(String id) {
    Row r = session.execute(read(get.bind(store, id))).one();
    return r == null ? Optional.empty() : Optional.of(Records.item(r, fp));
  }

  /** The modality of each of {@code ids} that the table holds. */
  Map<String, Modality> modalities(List<String> ids) {
    Map<String, Modality> out = new HashMap<>();
    List<CompletableFuture<? extends Iterable<Row>>> parts = new ArrayList<>();
    for (int i = 0; i < ids.size(); i += IN_BATCH) {
      List<String> part = ids.subList(i, Math.min(ids.size(), i + IN_BATCH));
      parts.add(
          session
              .executeAsync(read(modalities.bind(store, List.copyOf(part))))
              .toCompletableFuture()
              .thenApply(rs -> rs.currentPage()));
    }
    for (var p : parts) {
      for (Row r : p.join()) out.put(r.getString(0), Modality.parse(r.getString(1)));
    }
    return out;
  }

  /**
   * Every row of the store, or of one modality and the pushdown's terms (an SAI query), paged;
   * {@code modality} null for all.
   */
  Iterable<Row> scan(Modality modality, Pushdown pushdown) {
    StringBuilder cql =
        new StringBuilder("SELECT " + Records.COLUMNS + " FROM " + table + " WHERE store = ?");
    List<Object> values = new ArrayList<>();
    values.add(store);
    if (modality != null) {
      cql.append(" AND modality = ?");
      values.add(modality.id());
    }
    cql.append(pushdown.cql());
    values.addAll(pushdown.values());
    return session.execute(read(session.prepare(cql.toString()).bind(values.toArray())));
  }

  /** How many rows of {@code modality} have the pushdown's terms, counting up to {@code limit}. */
  int countUpTo(Modality modality, Pushdown pushdown, int limit) {
    String cql =
        "SELECT id FROM "
            + table
            + " WHERE store = ? AND modality = ?"
            + pushdown.cql()
            + " LIMIT ?";
    List<Object> values = new ArrayList<>();
    values.add(store);
    values.add(modality.id());
    values.addAll(pushdown.values());
    values.add(limit);
    int n = 0;
    for (Row ignored : session.execute(read(session.prepare(cql).bind(values.toArray())))) n++;
    return n;
  }

  /**
   * The ids of SAI's approximate nearest {@code limit} rows of {@code modality} with the pushdown's
   * terms, nearest first. Only ids travel: a wide ANN beam (SAI searches its graph with the LIMIT
   * as its beam) costs the server graph visits, not the network a row's vector per candidate.
   * Cassandra runs ANN queries at consistency ONE whatever is asked, so this asks for LOCAL_ONE and
   * no warning is logged per query.
   */
  List<String> annIds(Modality modality, Pushdown pushdown, float[] query, int limit) {
    String cql =
        "SELECT id FROM "
            + table
            + " WHERE store = ? AND modality = ?"
            + pushdown.cql()
            + " ORDER BY vector ANN OF ? LIMIT ?";
    List<Object> values = new ArrayList<>();
    values.add(store);
    values.add(modality.id());
    values.addAll(pushdown.values());
    values.add(Records.vector(query));
    values.add(limit);
    BoundStatement s =
        session
            .prepare(cql)
            .bind(values.toArray())
            .setConsistencyLevel(DefaultConsistencyLevel.LOCAL_ONE)
            .setTimeout(settings.requestTimeout());
    List<String> ids = new ArrayList<>();
    for (Row r : session.execute(s)) ids.add(r.getString(0));
    return ids;
  }

  /** The rows of {@code ids} that the table holds, read at the read consistency. */
  List<Row> rows(List<String> ids) {
    List<CompletableFuture<List<Row>>> parts = new ArrayList<>();
    for (int i = 0; i < ids.size(); i += IN_BATCH) {
      List<String> part = List.copyOf(ids.subList(i, Math.min(ids.size(), i + IN_BATCH)));
      parts.add(
          session
              .executeAsync(read(rows.bind(store, part)))
              .toCompletableFuture()
              .thenApply(
                  rs -> {
                    List<Row> out = new ArrayList<>();
                    rs.currentPage().forEach(out::add);
                    return out;
                  }));
    }
    List<Row> out = new ArrayList<>();
    for (var p : parts) out.addAll(p.join());
    return out;
  }

  private BoundStatement write(BoundStatement s) {
    return s.setConsistencyLevel(settings.writeConsistency()).setTimeout(settings.requestTimeout());
  }

  private BoundStatement read(BoundStatement s) {
    return s.setConsistencyLevel(settings.readConsistency()).setTimeout(settings.requestTimeout());
  }
}
