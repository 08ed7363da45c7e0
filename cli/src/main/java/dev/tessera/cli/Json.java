package dev.tessera.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.PrintStream;

/**
 * {@code --json} output: one pretty-printed JSON document on stdout, nulls kept so every field of a
 * command's schema (cli/README.md) is always present.
 */
final class Json {
  private static final Gson GSON =
      new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create();

  private Json() {}

  static void print(PrintStream out, Object document) {
    out.println(GSON.toJson(document));
    out.flush();
  }
}
