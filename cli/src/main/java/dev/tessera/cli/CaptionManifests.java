package dev.tessera.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.tessera.api.collection.FolderSync;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads caption manifests: {@code *.csv} with two columns {@code image,caption} (RFC 4180 through
 * Apache Commons CSV: a quoted field may hold commas, quotes and line breaks; the header line is
 * optional) or {@code *.jsonl} with one {@code {"image": "...", "caption": "..."}} per line. Image
 * paths are relative to the manifest. A line that can not be understood is reported with its line
 * number, and the others are still read.
 */
final class CaptionManifests {
  private CaptionManifests() {}

  /** This reader as the api's folder sync takes it. */
  static final FolderSync.CaptionSource SOURCE =
      new FolderSync.CaptionSource() {
        @Override
        public boolean isManifest(Path file) {
          return CaptionManifests.isManifest(
              file.getFileName().toString().toLowerCase(Locale.ROOT));
        }

        @Override
        public FolderSync.CaptionManifest read(Path manifest) throws IOException {
          Contents c = CaptionManifests.read(manifest);
          return new FolderSync.CaptionManifest(
              c.captions().stream()
                  .map(k -> new FolderSync.Caption(k.image(), k.caption()))
                  .toList(),
              c.problems().stream()
                  .map(p -> new FolderSync.Problem(p.line(), p.reason()))
                  .toList());
        }
      };

  /** One caption of one image; {@code line} is where its record starts (1-based). */
  record Caption(int line, String image, String caption) {}

  /** A record that could not be read, and why. */
  record Problem(int line, String reason) {}

  /** What a manifest holds. */
  record Contents(List<Caption> captions, List<Problem> problems) {}

  static boolean isManifest(String lowerCaseName) {
    return lowerCaseName.endsWith(".csv") || lowerCaseName.endsWith(".jsonl");
  }

  static Contents read(Path manifest) throws IOException {
    String name = manifest.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".csv") ? csv(manifest) : jsonl(manifest);
  }

  private static final CSVFormat CSV =
      CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).setTrim(true).get();

  private static Contents csv(Path manifest) throws IOException {
    List<Caption> captions = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    // Read whole (manifests are small) so a record's line can be found from its character position:
    // Commons CSV counts line breaks but not where a record starts after skipped empty lines.
    String text = Files.readString(manifest, StandardCharsets.UTF_8);
    try (CSVParser parser = CSV.parse(new StringReader(text))) {
      Iterator<CSVRecord> records = parser.iterator();
      boolean first = true;
      while (true) {
        CSVRecord r;
        long linesBefore = parser.getCurrentLineNumber();
        try {
          if (!records.hasNext()) break;
          r = records.next();
        } catch (UncheckedIOException e) {
          // Commons CSV reports a broken record (e.g. an unclosed quote) this way; nothing after it
          // can be read reliably.
          problems.add(
              new Problem(
                  lineOf(text, startOfLine(text, linesBefore + 1)),
                  "not valid CSV: " + e.getCause().getMessage()));
          break;
        }
        int line = lineOf(text, r.getCharacterPosition());
        boolean header =
            first
                && r.size() == 2
                && r.get(0).equalsIgnoreCase("image")
                && r.get(1).equalsIgnoreCase("caption");
        first = false;
        if (header) continue;
        if (r.size() != 2 || r.get(0).isEmpty() || r.get(1).isEmpty()) {
          problems.add(
              new Problem(
                  line,
                  "expected two fields, image,caption (quote a field that holds a comma), got "
                      + r.size()));
          continue;
        }
        captions.add(new Caption(line, r.get(0), r.get(1)));
      }
    }
    return new Contents(captions, problems);
  }

  /** The character position where 1-based {@code line} starts. */
  private static long startOfLine(String text, long line) {
    int p = 0;
    for (long l = 1; l < line && p < text.length(); p++) if (text.charAt(p) == '\n') l++;
    return p;
  }

  /** The 1-based line of the first character at or after {@code position} that is not a break. */
  private static int lineOf(String text, long position) {
    int p = (int) Math.min(position, text.length());
    while (p < text.length() && (text.charAt(p) == '\n' || text.charAt(p) == '\r')) p++;
    int line = 1;
    for (int i = 0; i < p; i++) if (text.charAt(i) == '\n') line++;
    return line;
  }

  private static Contents jsonl(Path manifest) throws IOException {
    List<Caption> captions = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    List<String> lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n).strip();
      if (line.isEmpty()) continue;
      try {
        JsonObject o = JsonParser.parseString(line).getAsJsonObject();
        JsonElement image = o.get("image");
        JsonElement caption = o.get("caption");
        if (image == null || caption == null) {
          problems.add(new Problem(n + 1, "expected {\"image\": ..., \"caption\": ...}"));
          continue;
        }
        captions.add(new Caption(n + 1, image.getAsString(), caption.getAsString()));
      } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
        problems.add(
            new Problem(n + 1, "not a JSON object with image and caption: " + e.getMessage()));
      }
    }
    return new Contents(captions, problems);
  }
}
