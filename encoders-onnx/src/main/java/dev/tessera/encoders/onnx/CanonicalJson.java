package dev.tessera.encoders.onnx;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The canonical text of a JSON document, so a fingerprint hashes what the file says and not how it
 * is laid out: no whitespace, object keys sorted (JSON gives their order no meaning), arrays in
 * their order, strings with one escaping, numbers exactly as written ({@code 1.0} and {@code 1}
 * stay different: only layout is ignored, never a value's text).
 */
final class CanonicalJson {
  private CanonicalJson() {}

  /** The SHA-256 (64 hex digits) of {@code file}'s canonical text, cached as file digests are. */
  static String sha256(Path file) throws IOException {
    return FileDigests.cached(file, "canonical-json", CanonicalJson::computeSha256);
  }

  private static String computeSha256(Path file) throws IOException {
    JsonElement e;
    try {
      e = JsonParser.parseString(Files.readString(file));
    } catch (JsonParseException e2) {
      throw new IOException(file + " is not valid JSON: " + e2.getMessage(), e2);
    }
    byte[] canonical = of(e).getBytes(StandardCharsets.UTF_8);
    return HexFormat.of().formatHex(FileDigests.newSha256().digest(canonical));
  }

  /** The canonical text of {@code e}. */
  static String of(JsonElement e) {
    StringBuilder out = new StringBuilder();
    write(e, out);
    return out.toString();
  }

  private static void write(JsonElement e, StringBuilder out) {
    if (e == null || e.isJsonNull()) {
      out.append("null");
    } else if (e instanceof JsonPrimitive p) {
      if (p.isString()) {
        string(p.getAsString(), out);
      } else if (p.isNumber()) {
        out.append(p.getAsNumber()); // Gson keeps the literal (LazilyParsedNumber)
      } else {
        out.append(p.getAsBoolean());
      }
    } else if (e instanceof JsonArray a) {
      out.append('[');
      for (int i = 0; i < a.size(); i++) {
        if (i > 0) out.append(',');
        write(a.get(i), out);
      }
      out.append(']');
    } else {
      List<Map.Entry<String, JsonElement>> entries = new ArrayList<>(((JsonObject) e).entrySet());
      entries.sort(Map.Entry.comparingByKey());
      out.append('{');
      for (int i = 0; i < entries.size(); i++) {
        if (i > 0) out.append(',');
        string(entries.get(i).getKey(), out);
        out.append(':');
        write(entries.get(i).getValue(), out);
      }
      out.append('}');
    }
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }
}
