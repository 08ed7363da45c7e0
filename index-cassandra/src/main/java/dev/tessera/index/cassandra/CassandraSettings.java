package dev.tessera.index.cassandra;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import dev.tessera.api.spi.StoreContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code cassandra} store's settings. Where to connect (contact points, datacenter, keyspace)
 * is recorded in the store's locator file when it is created, so an open needs no setting; a
 * setting given on open overrides the locator's contact points and datacenter (a cluster that
 * moved), never its keyspace.
 *
 * @param contactPoints {@value #CONTACT_POINTS}: {@code host:port} list, comma separated
 * @param localDatacenter {@value #LOCAL_DATACENTER}: the driver's local datacenter (default
 *     datacenter1)
 * @param keyspace {@value #KEYSPACE}: created when missing (default tessera)
 * @param replicationFactor {@value #REPLICATION_FACTOR}: SimpleStrategy factor of a keyspace this
 *     store creates (default 1); an existing keyspace keeps its own
 * @param writeConsistency {@value #WRITE_CONSISTENCY}: of every write (default QUORUM)
 * @param readConsistency {@value #READ_CONSISTENCY}: of gets, counts, scans and exact passes
 *     (default QUORUM); Cassandra runs ANN queries at ONE whatever is asked
 * @param requestTimeout {@value #REQUEST_TIMEOUT}: seconds per request (default 30: a schema change
 *     on a busy two-core machine takes seconds)
 * @param exactSearchBelow {@value #EXACT_SEARCH_BELOW}: when a modality holds, or a pushed-down
 *     filter matches, at most this many records, they are scored exactly instead of asking SAI for
 *     ANN candidates (default 1000)
 * @param extraCandidates {@value #EXTRA_CANDIDATES}: ANN candidates asked beyond k, capped at
 *     Cassandra's LIMIT of 1000 (default 100)
 * @param searchBeam {@value #SEARCH_BEAM}: how many nearest ids SAI ranks per modality (its graph
 *     search's beam, ids only); the best k + extra of them are read and rescored (default 1000,
 *     Cassandra's LIMIT cap; with the beam at k + 100 the kit's cross-modal CLIP-like recall@10 was
 *     0.83 in one of two runs)
 * @param writeConcurrency {@value #WRITE_CONCURRENCY}: write batches in flight per record table
 *     from one JVM (default 2; Cassandra 5.0.6 fails concurrent vector inserts beyond a few,
 *     CASSANDRA-21644)
 */
public record CassandraSettings(
    List<InetSocketAddress> contactPoints,
    String localDatacenter,
    String keyspace,
    int replicationFactor,
    ConsistencyLevel writeConsistency,
    ConsistencyLevel readConsistency,
    Duration requestTimeout,
    int exactSearchBelow,
    int extraCandidates,
    int searchBeam,
    int writeConcurrency) {
  /** Setting key: contact points. */
  public static final String CONTACT_POINTS = "contact-points";

  /** Setting key: local datacenter. */
  public static final String LOCAL_DATACENTER = "local-datacenter";

  /** Setting key: keyspace. */
  public static final String KEYSPACE = "keyspace";

  /** Setting key: replication factor of a created keyspace. */
  public static final String REPLICATION_FACTOR = "replication-factor";

  /** Setting key: write consistency. */
  public static final String WRITE_CONSISTENCY = "write-consistency";

  /** Setting key: read consistency. */
  public static final String READ_CONSISTENCY = "read-consistency";

  /** Setting key: request timeout in seconds. */
  public static final String REQUEST_TIMEOUT = "request-timeout-seconds";

  /** Setting key: exact-search threshold. */
  public static final String EXACT_SEARCH_BELOW = "exact-search-below";

  /** Setting key: extra ANN candidates. */
  public static final String EXTRA_CANDIDATES = "extra-candidates";

  /** Setting key: ANN beam (ids ranked by SAI per modality). */
  public static final String SEARCH_BEAM = "search-beam";

  /** Setting key: write batches in flight per record table. */
  public static final String WRITE_CONCURRENCY = "write-concurrency";

  /** Every key this store accepts. */
  public static final Set<String> NAMES =
      Set.of(
          CONTACT_POINTS,
          LOCAL_DATACENTER,
          KEYSPACE,
          REPLICATION_FACTOR,
          WRITE_CONSISTENCY,
          READ_CONSISTENCY,
          REQUEST_TIMEOUT,
          EXACT_SEARCH_BELOW,
          EXTRA_CANDIDATES,
          SEARCH_BEAM,
          WRITE_CONCURRENCY);

  /** Cassandra's largest LIMIT for an ANN query. */
  static final int MAX_ANN_LIMIT = 1000;

  /** Validates and copies. */
  public CassandraSettings {
    contactPoints = List.copyOf(contactPoints);
  }

  /** Reads {@code context}'s settings; missing keys take their defaults, bad values are refused. */
  static CassandraSettings from(StoreContext context) {
    for (String key : context.settings().keySet()) {
      if (!NAMES.contains(key)) {
        throw new IllegalArgumentException(
            "Store setting '"
                + key
                + "' is not a cassandra setting; the cassandra store knows "
                + new TreeSet<>(NAMES)
                + ".");
      }
    }
    String keyspace = context.setting(KEYSPACE, "tessera");
    if (!keyspace.matches("[a-z][a-z0-9_]{0,47}")) {
      throw new IllegalArgumentException(
          "Store setting "
              + KEYSPACE
              + "="
              + keyspace
              + " is invalid: use 1 to 48 lower-case letters, digits and '_', starting with a"
              + " letter.");
    }
    return new CassandraSettings(
        parseContactPoints(context.setting(CONTACT_POINTS, "")),
        context.setting(LOCAL_DATACENTER, "datacenter1"),
        keyspace,
        context.intSetting(REPLICATION_FACTOR, 1, 1, 100),
        consistency(context, WRITE_CONSISTENCY),
        consistency(context, READ_CONSISTENCY),
        Duration.ofSeconds(context.intSetting(REQUEST_TIMEOUT, 30, 1, 3600)),
        context.intSetting(EXACT_SEARCH_BELOW, 1000, 0, Integer.MAX_VALUE),
        context.intSetting(EXTRA_CANDIDATES, 100, 0, MAX_ANN_LIMIT),
        context.intSetting(SEARCH_BEAM, MAX_ANN_LIMIT, 1, MAX_ANN_LIMIT),
        context.intSetting(WRITE_CONCURRENCY, 2, 1, 1024));
  }

  /** {@code host:port,host:port}; an empty text gives an empty list. */
  static List<InetSocketAddress> parseContactPoints(String text) {
    List<InetSocketAddress> out = new ArrayList<>();
    for (String part : text.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) continue;
      int colon = p.lastIndexOf(':');
      try {
        if (colon <= 0) throw new NumberFormatException();
        int port = Integer.parseInt(p.substring(colon + 1));
        if (port < 1 || port > 65_535) throw new NumberFormatException();
        out.add(InetSocketAddress.createUnresolved(p.substring(0, colon), port));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "Store setting "
                + CONTACT_POINTS
                + "="
                + text
                + " is invalid: use host:port, comma separated (e.g. 127.0.0.1:9042).");
      }
    }
    return out;
  }

  /** The contact points as the locator and the settings write them. */
  static String formatContactPoints(List<InetSocketAddress> points) {
    return String.join(
        ",", points.stream().map(a -> a.getHostString() + ":" + a.getPort()).toList());
  }

  private static ConsistencyLevel consistency(StoreContext context, String key) {
    String v = context.setting(key, "QUORUM").trim().toUpperCase(Locale.ROOT);
    try {
      return DefaultConsistencyLevel.valueOf(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Store setting "
              + key
              + "="
              + context.setting(key, "")
              + " is invalid: use a consistency level such as ONE, QUORUM, LOCAL_QUORUM or ALL.");
    }
  }

  /** These settings, connecting to {@code points} in {@code datacenter} and {@code keyspace}. */
  CassandraSettings at(List<InetSocketAddress> points, String datacenter, String keyspace) {
    return new CassandraSettings(
        points,
        datacenter,
        keyspace,
        replicationFactor,
        writeConsistency,
        readConsistency,
        requestTimeout,
        exactSearchBelow,
        extraCandidates,
        searchBeam,
        writeConcurrency);
  }
}
