/**
 * tessera serve: the search page and the JSON API over one collection, on the JDK's HTTP server.
 */
module dev.tessera.serve {
  requires transitive dev.tessera.api;
  requires dev.tessera.encoders.onnx;
  requires jdk.httpserver;
  requires java.desktop;
  requires com.google.gson;

  exports dev.tessera.serve;
}
