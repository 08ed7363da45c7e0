package dev.tessera.api.collection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;

/**
 * Turns a file-system failure into the exception the api documents: an {@link UncheckedIOException}
 * whose message names the collection, what failed, and what to do.
 */
final class IoFailures {
  private IoFailures() {}

  static UncheckedIOException of(String what, Object collection, IOException e) {
    return new UncheckedIOException(
        "Could not " + what + " in the collection " + collection + ": " + reason(e) + advice(e), e);
  }

  private static String reason(IOException e) {
    String m = e.getMessage();
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason() + (f.getFile() != null ? " (" + f.getFile() + ")" : "");
    }
    return m == null ? e.getClass().getSimpleName() : m;
  }

  private static String advice(IOException e) {
    String text = (String.valueOf(e.getMessage()) + " " + causes(e)).toLowerCase(Locale.ROOT);
    if (text.contains("no space left") || text.contains("disk full") || text.contains("quota")) {
      return ". The disk is full: free space, close and reopen the collection, and redo the writes"
          + " since the last commit; everything committed before is intact.";
    }
    if (e instanceof AccessDeniedException || text.contains("permission denied")) {
      return ". Tessera may not write there: fix the permissions of the collection's directory"
          + " (or open it read-only) and retry.";
    }
    if (e instanceof NoSuchFileException) {
      return ". A file of the collection is missing: something removed it. Restore the collection"
          + " from a backup, or reindex it from its sources.";
    }
    return ".";
  }

  private static String causes(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t.getCause(); c != null && c != t; c = c.getCause()) {
      sb.append(' ').append(c.getMessage());
      if (c.getCause() == c) break;
    }
    return sb.toString();
  }
}
