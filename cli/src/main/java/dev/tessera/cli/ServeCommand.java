package dev.tessera.cli;

import dev.tessera.api.MultiModalEncoder;
import dev.tessera.api.collection.VectorCollection;
import dev.tessera.serve.SearchServer;
import dev.tessera.serve.ServeConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tessera serve}: the search page and the JSON API over one collection (module serve). */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    version = TesseraCommand.VERSION,
    description = {
      "Serve a search page and a JSON API over a collection (read-only; serve/README.md).",
      "Binds to 127.0.0.1 unless --host says otherwise; Ctrl-C stops it."
    })
final class ServeCommand implements java.util.concurrent.Callable<Integer> {
  @ParentCommand TesseraCommand root;

  @Option(
      names = "--collection",
      required = true,
      paramLabel = "C",
      description = "Collection directory.")
  Path collection;

  @Option(
      names = "--model",
      paramLabel = "M",
      description = "Model directory (default: the one that built the collection).")
  Path model;

  @Mixin EncoderOption encoder;

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "" + ServeConfig.DEFAULT_PORT,
      description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      defaultValue = ServeConfig.LOOPBACK,
      description =
          "Address to bind (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 opens it to the"
              + " network: add --token).")
  String host;

  @Option(
      names = "--token",
      paramLabel = "T",
      defaultValue = "${env:TESSERA_TOKEN}",
      description =
          "Access token every request must carry (?token=T or 'Authorization: Bearer T');"
              + " default: $TESSERA_TOKEN, else none.")
  String token;

  @Option(
      names = "--max-upload-mb",
      paramLabel = "MB",
      defaultValue = "20",
      description = "Largest image query accepted, in MiB (default: ${DEFAULT-VALUE}).")
  int maxUploadMb;

  @Override
  public Integer call() throws IOException, InterruptedException {
    CollectionArg.requireExisting(collection);
    if (maxUploadMb < 1) {
      throw new IllegalArgumentException(
          "--max-upload-mb must be at least 1, got " + maxUploadMb + ".");
    }
    ServeConfig config =
        ServeConfig.of(collection)
            .withAddress(host, port)
            .withToken(token == null || token.isBlank() ? null : token)
            .withMaxUploadBytes((long) maxUploadMb << 20);
    Path modelDir;
    try (VectorCollection c = VectorCollection.openReadOnly(collection, null)) {
      modelDir = Models.resolve(model, c, root.err); // the model the collection was built with
    }
    try (MultiModalEncoder enc = Models.open(modelDir, encoder.name)) {
      return serveUntilStopped(config, enc, root.out, root.err);
    }
  }

  /** Starts the server, says where and how it is bound, and serves until the JVM is stopped. */
  static int serveUntilStopped(
      ServeConfig config, MultiModalEncoder enc, PrintStream out, PrintStream err)
      throws IOException, InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    try (SearchServer server = SearchServer.start(config, enc)) {
      Thread hook = new Thread(stopped::countDown, "tessera-serve-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      out.println("Serving " + config.collection().toAbsolutePath() + " at " + server.url());
      if (config.isLoopback()) {
        out.println(
            "Bound to "
                + config.host()
                + " (loopback): only this machine can connect. --host 0.0.0.0 --token T opens it"
                + " to the network.");
      } else {
        out.println(
            "Bound to "
                + config.host()
                + ": other machines can connect"
                + (config.token() == null
                    ? ", with no access token (pass --token T to require one)."
                    : "; every request must carry the access token."));
      }
      String problem = server.modelProblem();
      if (problem != null) err.println("tessera: " + problem);
      out.println("Thumbnails are cached in " + config.thumbnails() + ". Ctrl-C stops.");
      out.flush();
      stopped.await();
      return 0;
    }
  }
}
