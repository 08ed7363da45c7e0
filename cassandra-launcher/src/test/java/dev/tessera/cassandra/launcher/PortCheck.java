package dev.tessera.cassandra.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Whether a port can be bound again (a stopped node must not hold it). */
final class PortCheck {
  private PortCheck() {}

  static boolean bindable(String address, int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName(address), port));
      return s.isBound();
    } catch (IOException e) {
      return false;
    }
  }
}
