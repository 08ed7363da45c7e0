package dev.tessera.serve;

/** A request the server refuses, with the status code and the one-line message the client sees. */
final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  HttpError(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }

  static HttpError notFound(String message) {
    return new HttpError(404, message);
  }

  static HttpError badRequest(String message) {
    return new HttpError(400, message);
  }
}
