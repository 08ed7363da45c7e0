package dev.tessera.encoders.onnx;

import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs ONNX Runtime's start-up calls (creating the environment, loading a session) on a fresh
 * thread whose stack is known to be large enough for them, whatever thread asked.
 *
 * <p>Why: the official ONNX Runtime builds (1.29 here) start Microsoft's 1DS telemetry SDK when the
 * environment is created, and it matches a {@code std::regex} against {@code /proc/self/cmdline}.
 * That matcher recurses once per character: measured, 256 bytes of native stack per command-line
 * byte (a 1 MB thread stack overflows at a 3,980-byte command line, a 2 MB one at 8,080 bytes). A
 * default Java thread stack is 1 MB on Linux x64, so a JVM with a class path of a few KB (an IDE, a
 * Maven test run, a checkout in a deep directory) died with SIGSEGV and no {@code hs_err} file on
 * its first {@code Encoders.open}. The caller's stack size is not the library's to choose; this
 * thread's is: 16 MB plus 512 bytes per command-line byte (twice the measured need, and room for
 * graph optimization in session creation). The stack is reserved address space, committed only as
 * it is touched, and the thread ends with the call.
 *
 * <p>Running a session ({@code OrtSession.run}) was measured to need no deep stack and stays on the
 * caller's thread. {@code ORT_DISABLE_TELEMETRY=1} in the environment also avoids the crash (the
 * SDK never starts), but a library cannot set its own process's environment.
 */
final class LargeStack {
  /** The stack of a start-up thread before the command line is counted. */
  static final long BASE_BYTES = 16L << 20;

  /** Stack added per byte of {@code /proc/self/cmdline}: twice the 256 measured. */
  static final long BYTES_PER_COMMAND_LINE_BYTE = 512;

  private static final long STACK_BYTES = BASE_BYTES + BYTES_PER_COMMAND_LINE_BYTE * commandLine();

  private LargeStack() {}

  /** A native call that may fail with ONNX Runtime's exception. */
  interface NativeCall<T> {
    /** Makes the call. */
    T call() throws OrtException;
  }

  /** The stack size start-up threads get, in bytes. */
  static long stackBytes() {
    return STACK_BYTES;
  }

  /**
   * Runs {@code call} on a new thread with {@link #stackBytes()} of stack and waits for it, also
   * through interrupts (a native call can not be abandoned halfway; the interrupt is kept). Its
   * result or exception comes back as if it had run here.
   */
  static <T> T call(String what, NativeCall<T> call) throws OrtException {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t =
        new Thread(
            null,
            () -> {
              try {
                result.set(call.call());
              } catch (Throwable e) {
                failure.set(e);
              }
            },
            "tessera-onnx-start (" + what + ")",
            STACK_BYTES);
    t.setDaemon(true);
    t.start();
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
    Throwable e = failure.get();
    if (e == null) return result.get();
    if (e instanceof OrtException o) throw o;
    if (e instanceof RuntimeException r) throw r;
    if (e instanceof Error r) throw r;
    throw new IllegalStateException(what + " failed: " + e, e);
  }

  /**
   * The length of this process's command line in bytes: {@code /proc/self/cmdline} where there is
   * one, else what the JDK reports; 0 where neither says.
   */
  private static long commandLine() {
    Path self = Path.of("/proc/self/cmdline");
    try {
      if (Files.isReadable(self)) return Files.readAllBytes(self).length;
      return ProcessHandle.current().info().commandLine().map(String::length).orElse(0);
    } catch (IOException | SecurityException e) {
      return 0;
    }
  }
}
