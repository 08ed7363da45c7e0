package dev.tessera.cassandra.launcher;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Asks a native (CQL) port whether a node serves: sends the protocol's OPTIONS request and expects
 * SUPPORTED back. An open port alone is not enough; this is the first exchange every driver makes.
 */
final class CqlProbe {
  /** Protocol v4 request header: version 4, no flags, stream 0, opcode OPTIONS (5), empty body. */
  private static final byte[] OPTIONS = {0x04, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00};

  private static final int RESPONSE_V4 = 0x84;
  private static final int SUPPORTED = 0x06;

  private CqlProbe() {}

  /** Whether the node at {@code address} answers a CQL OPTIONS request within {@code timeoutMs}. */
  static boolean answers(InetSocketAddress address, int timeoutMs) {
    try (Socket socket = new Socket()) {
      socket.connect(address, timeoutMs);
      socket.setSoTimeout(timeoutMs);
      OutputStream out = socket.getOutputStream();
      out.write(OPTIONS);
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] header = new byte[9];
      in.readFully(header);
      return (header[0] & 0xff) == RESPONSE_V4 && header[4] == SUPPORTED;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Whether something accepts TCP connections at {@code address} (used to check a port was freed).
   */
  static boolean listening(InetSocketAddress address) {
    try (Socket socket = new Socket()) {
      socket.connect(address, 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
