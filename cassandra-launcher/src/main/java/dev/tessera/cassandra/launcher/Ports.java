package dev.tessera.cassandra.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Finds TCP ports that are free on every one of a few loopback addresses. */
final class Ports {
  private static final int ATTEMPTS = 100;

  private Ports() {}

  /**
   * {@code count} distinct ports, each free on every address (the nodes of a cluster share their
   * ports and differ by address).
   *
   * @throws IllegalStateException when an address is not local (e.g. 127.0.0.2 on macOS)
   */
  static int[] free(List<String> addresses, int count) {
    for (String a : addresses) checkLocal(a);
    List<ServerSocket> held = new ArrayList<>();
    int[] ports = new int[count];
    try {
      int found = 0;
      for (int attempt = 0; attempt < ATTEMPTS && found < count; attempt++) {
        ServerSocket first = bind(addresses.get(0), 0);
        held.add(first);
        int port = first.getLocalPort();
        if (freeOnOthers(addresses, port)) ports[found++] = port;
      }
      if (found < count) {
        throw new IllegalStateException(
            "Found only "
                + found
                + " of "
                + count
                + " ports free on all of "
                + addresses
                + " after "
                + ATTEMPTS
                + " tries");
      }
      return ports;
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot look for free ports on " + addresses + ": " + e.getMessage(), e);
    } finally {
      for (ServerSocket s : held) {
        try {
          s.close();
        } catch (IOException e) {
          // Closing a probe socket cannot fail in a way that matters.
        }
      }
    }
  }

  private static boolean freeOnOthers(List<String> addresses, int port) {
    for (String a : addresses.subList(1, addresses.size())) {
      try {
        bind(a, port).close();
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  private static ServerSocket bind(String address, int port) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(false);
    s.bind(new InetSocketAddress(InetAddress.getByName(address), port));
    return s;
  }

  private static void checkLocal(String address) {
    try {
      bind(address, 0).close();
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot bind "
              + address
              + " ("
              + e.getMessage()
              + "): a cluster's nodes listen on 127.0.0.1, 127.0.0.2, ..., which Linux routes to"
              + " loopback by itself; on macOS add the address first: sudo ifconfig lo0 alias "
              + address,
          e);
    }
  }
}
