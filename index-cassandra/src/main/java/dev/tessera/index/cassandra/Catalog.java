package dev.tessera.index.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.WriteType;
import dev.tessera.api.Item;
import dev.tessera.api.Modality;
import dev.tessera.api.ModelFingerprint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A store's row in {@code tessera_stores} and its commits in {@code tessera_journal}.
 *
 * <p>A commit is: the writes go to the journal under (commit number, transaction id); a lightweight
 * transaction moves the pointer from commit n to n + 1 naming that transaction, if and only if n is
 * still the last commit and it is applied; the writes are then applied to the record table with the
 * write timestamp of commit n + 1, and the pointer is marked applied. A commit is there once its
 * pointer moved: a handle that finds it unapplied (its writer died) reads the journal over the
 * record table, and the next writable open or commit applies it again (the timestamps make a replay
 * idempotent and let no older commit overwrite a newer one).
 */
final class Catalog {
  /** Journal rows hold at most about this many bytes of encoded writes. */
  static final int CHUNK_BYTES = 512 * 1024;

  private final CqlSession session;
  private final CassandraSettings settings;
  private final String store;
  private final PreparedStatement read;
  private final PreparedStatement insert;
  private final PreparedStatement switchTo;
  private final PreparedStatement setApplied;
  private final PreparedStatement writeChunk;
  private final PreparedStatement readChunks;
  private final PreparedStatement dropTxn;
  private final PreparedStatement dropUpTo;

  /** The pointer row of a store. */
  record Marker(
      ModelFingerprint fingerprint,
      String recordTable,
      long createdMicros,
      long committed,
      UUID txn,
      long applied,
      long count,
      long countText,
      long countImage) {
    /** Live records of {@code m} in the committed state. */
    long count(Modality m) {
      return m == Modality.TEXT ? countText : countImage;
    }

    /** The write timestamp of commit {@code n}. */
    long timestamp(long n) {
      return createdMicros + n;
    }

    /** Whether the last commit still has to be applied to the record table. */
    boolean unapplied() {
      return applied < committed;
    }
  }

  Catalog(CqlSession session, CassandraSettings settings, String store) {
    this.session = session;
    this.settings = settings;
    this.store = store;
    String ks = settings.keyspace();
    read =
        session.prepare(
            "SELECT fingerprint, record_table, created_micros, committed, committed_txn, applied,"
                + " count, count_text, count_image FROM "
                + ks
                + ".tessera_stores WHERE store = ?");
    insert =
        session.prepare(
            "INSERT INTO "
                + ks
                + ".tessera_stores (store, fingerprint, record_table, created_micros, committed,"
                + " applied, count, count_text, count_image) VALUES (?, ?, ?, ?, 0, 0, 0, 0, 0)"
                + " IF NOT EXISTS");
    switchTo =
        session.prepare(
            "UPDATE "
                + ks
                + ".tessera_stores SET committed = ?, committed_txn = ?, count = ?, count_text = ?,"
                + " count_image = ? WHERE store = ? IF committed = ? AND applied = ?");
    setApplied =
        session.prepare("UPDATE " + ks + ".tessera_stores SET applied = ? WHERE store = ?");
    writeChunk =
        session.prepare(
            "INSERT INTO "
                + ks
                + ".tessera_journal (store, commit, txn, chunk, ops) VALUES (?, ?, ?, ?, ?)");
    readChunks =
        session.prepare(
            "SELECT ops FROM "
                + ks
                + ".tessera_journal WHERE store = ? AND commit = ? AND txn = ? ORDER BY commit,"
                + " txn, chunk");
    dropTxn =
        session.prepare(
            "DELETE FROM " + ks + ".tessera_journal WHERE store = ? AND commit = ? AND txn = ?");
    dropUpTo =
        session.prepare("DELETE FROM " + ks + ".tessera_journal WHERE store = ? AND commit <= ?");
  }

  /** Creates the pointer row of a new store; false if the id was taken. */
  boolean create(ModelFingerprint fp, String recordTable, long createdMicros) {
    return session
        .execute(
            write(insert.bind(store, fp.canonical(), recordTable, createdMicros))
                .setSerialConsistencyLevel(DefaultConsistencyLevel.SERIAL))
        .wasApplied();
  }

  /** The pointer row, or null when the store does not exist. */
  Marker read() {
    Row r = session.execute(read(read.bind(store))).one();
    if (r == null) return null;
    return new Marker(
        ModelFingerprint.parse(r.getString(0)),
        r.getString(1),
        r.getLong(2),
        r.getLong(3),
        r.getUuid(4),
        r.getLong(5),
        r.getLong(6),
        r.getLong(7),
        r.getLong(8));
  }

  /**
   * Moves the pointer from {@code from} (committed and applied) to {@code from + 1} for {@code
   * txn}; false when another writer committed first. When the lightweight transaction times out its
   * outcome is unknown (it may still be applied), so the pointer is read at SERIAL, which finishes
   * any Paxos round in flight: the commit happened exactly when the pointer then names {@code txn}.
   */
  boolean switchTo(Marker from, UUID txn, long count, long countText, long countImage) {
    BoundStatement cas =
        write(
            switchTo.bind(
                from.committed() + 1,
                txn,
                count,
                countText,
                countImage,
                store,
                from.committed(),
                from.committed()));
    try {
      return session.execute(cas).wasApplied();
    } catch (WriteTimeoutException e) {
      if (e.getWriteType() != WriteType.CAS) throw e;
      Row r =
          session
              .execute(
                  read.bind(store)
                      .setConsistencyLevel(DefaultConsistencyLevel.SERIAL)
                      .setTimeout(settings.requestTimeout()))
              .one();
      return r != null && r.getLong(3) == from.committed() + 1 && txn.equals(r.getUuid(4));
    }
  }

  /** Marks commit {@code n} applied and drops the journal up to it. */
  void applied(long n) {
    session.execute(idempotentWrite(setApplied.bind(n, store)));
    session.execute(idempotentWrite(dropUpTo.bind(store, n)));
  }

  /** Writes the journal of commit {@code n} under {@code txn}. */
  void writeJournal(long n, UUID txn, List<Map.Entry<String, Item>> ops) {
    List<java.util.concurrent.CompletionStage<?>> pending = new ArrayList<>();
    int chunk = 0;
    List<Map.Entry<String, Item>> part = new ArrayList<>();
    long bytes = 0;
    for (Map.Entry<String, Item> op : ops) {
      part.add(op);
      Item it = op.getValue();
      bytes += 64 + op.getKey().length() * 3L + (it == null ? 0 : it.embedding().dimension() * 4L);
      if (bytes >= CHUNK_BYTES) {
        pending.add(writeChunk(n, txn, chunk++, part));
        part = new ArrayList<>();
        bytes = 0;
      }
    }
    if (!part.isEmpty() || chunk == 0) pending.add(writeChunk(n, txn, chunk, part));
    for (var f : pending) f.toCompletableFuture().join();
  }

  private java.util.concurrent.CompletionStage<?> writeChunk(
      long n, UUID txn, int chunk, List<Map.Entry<String, Item>> part) {
    return session.executeAsync(
        idempotentWrite(
            writeChunk.bind(store, n, txn, chunk, ByteBuffer.wrap(Records.encode(part)))));
  }

  /** Drops the journal of a commit that lost its race. */
  void dropJournal(long n, UUID txn) {
    session.execute(idempotentWrite(dropTxn.bind(store, n, txn)));
  }

  /** The writes of commit {@code m.committed()}: id to record, or to null for a delete. */
  Map<String, Item> journal(Marker m) throws IOException {
    Map<String, Item> ops = new LinkedHashMap<>();
    for (Row r : session.execute(read(readChunks.bind(store, m.committed(), m.txn())))) {
      Records.decode(r.getByteBuffer(0), m.fingerprint(), ops);
    }
    return ops;
  }

  private BoundStatement write(BoundStatement s) {
    return s.setConsistencyLevel(settings.writeConsistency()).setTimeout(settings.requestTimeout());
  }

  /**
   * A write that may be delivered twice with the same effect (same key, same values, or a delete),
   * so {@link WriteRetryPolicy} may send it again after a server write timeout.
   */
  private BoundStatement idempotentWrite(BoundStatement s) {
    return write(s).setIdempotent(true);
  }

  private BoundStatement read(BoundStatement s) {
    return s.setConsistencyLevel(settings.readConsistency()).setTimeout(settings.requestTimeout());
  }
}
