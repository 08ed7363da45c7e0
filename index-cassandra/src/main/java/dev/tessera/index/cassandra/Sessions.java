package dev.tessera.index.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One driver session per cluster (contact points and datacenter) per JVM, shared by every store
 * handle on it and closed when the JVM exits: a session costs a second to open (it reads the
 * cluster's metadata) and keeps a connection pool, so a handle per store must not open its own.
 * Credentials and TLS come from the driver's standard configuration ({@code application.conf} and
 * {@code datastax-java-driver.*} system properties, which the loader below layers under its
 * timeouts); this class never reads or logs them.
 */
final class Sessions {
  private static final Map<String, CqlSession> OPEN = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> OPEN.values().forEach(CqlSession::close), "tessera-cassandra-close"));
  }

  private Sessions() {}

  /** The session for {@code settings}' cluster, opened on first use. */
  static CqlSession of(CassandraSettings settings) {
    List<InetSocketAddress> points = settings.contactPoints();
    if (points.isEmpty()) {
      throw new IllegalArgumentException(
          "The cassandra store needs the store setting "
              + CassandraSettings.CONTACT_POINTS
              + "=host:port[,host:port...] to create a store (e.g. 127.0.0.1:9042;"
              + " bin/cassandra-dev starts a node and prints it).");
    }
    String key =
        CassandraSettings.formatContactPoints(points)
            + "|"
            + settings.localDatacenter()
            + "|"
            + settings.requestTimeout();
    CqlSession s = OPEN.get(key);
    if (s != null && !s.isClosed()) return s;
    synchronized (OPEN) {
      s = OPEN.get(key);
      if (s == null || s.isClosed()) {
        s = open(settings);
        OPEN.put(key, s);
      }
      return s;
    }
  }

  private static CqlSession open(CassandraSettings settings) {
    Duration timeout = settings.requestTimeout();
    // Schema changes (CREATE TABLE, an SAI index) take seconds on a small machine; these bound a
    // hang, they are no promise of speed.
    DriverConfigLoader config =
        DriverConfigLoader.programmaticBuilder()
            // Daemon threads: a program that ends without closing its stores (or dies of an
            // exception) must exit; the shutdown hook above still closes the sessions.
            .withBoolean(DefaultDriverOption.NETTY_DAEMON, true)
            // Idempotent writes that time out on a loaded cluster are sent again (see the class).
            .withClass(DefaultDriverOption.RETRY_POLICY_CLASS, WriteRetryPolicy.class)
            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, timeout)
            .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, timeout)
            .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, timeout)
            .withDuration(
                DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, timeout.multipliedBy(2))
            .withDuration(
                DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, timeout.multipliedBy(2))
            .build();
    var builder =
        CqlSession.builder()
            .withLocalDatacenter(settings.localDatacenter())
            .withConfigLoader(config);
    for (InetSocketAddress p : settings.contactPoints()) {
      builder.addContactPoint(new InetSocketAddress(p.getHostString(), p.getPort()));
    }
    return builder.build();
  }
}
