package dev.tessera.encoders.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Which files of a model directory hold the CLIP towers. Recognised, in this order of preference:
 *
 * <ul>
 *   <li>{@link Kind#SPLIT}: {@code text_model.onnx} + {@code vision_model.onnx} (Hugging Face /
 *       optimum split export), in the directory or its {@code onnx/} folder;
 *   <li>{@link Kind#OPEN_CLIP}: {@code textual.onnx} + {@code visual.onnx} (OpenCLIP export);
 *   <li>{@link Kind#COMBINED}: one {@code model.onnx} holding both towers (Hugging Face / optimum).
 * </ul>
 *
 * The JSON files ({@code tokenizer.json}, {@code preprocessor_config.json}, {@code config.json},
 * {@code open_clip_config.json}) are looked for beside the graphs first, then in the model
 * directory.
 *
 * @param kind the layout
 * @param root the model directory
 * @param textModel the graph that embeds text (the same file as {@code visionModel} for COMBINED)
 * @param visionModel the graph that embeds images
 */
public record ModelLayout(Kind kind, Path root, Path textModel, Path visionModel) {
  /** The layouts the encoder understands. */
  public enum Kind {
    /** {@code text_model.onnx} + {@code vision_model.onnx}. */
    SPLIT,
    /** {@code textual.onnx} + {@code visual.onnx}. */
    OPEN_CLIP,
    /** {@code model.onnx} with both towers. */
    COMBINED
  }

  /** What a model directory must contain, for messages. */
  static final String EXPECTED =
      "text_model.onnx + vision_model.onnx (optionally under onnx/), or textual.onnx + visual.onnx"
          + " (OpenCLIP), or one model.onnx holding both towers; with tokenizer.json beside them";

  /** Whether {@code dir} looks like a model directory (file names only). */
  static boolean looksLike(Path dir) {
    for (Path d : new Path[] {dir, dir.resolve("onnx")}) {
      if (Files.isRegularFile(d.resolve("text_model.onnx"))
          && Files.isRegularFile(d.resolve("vision_model.onnx"))) return true;
      if (Files.isRegularFile(d.resolve("textual.onnx"))
          && Files.isRegularFile(d.resolve("visual.onnx"))) return true;
      if (Files.isRegularFile(d.resolve("model.onnx"))) return true;
    }
    return false;
  }

  /** Finds the layout of {@code dir}; fails listing what was found and what was expected. */
  public static ModelLayout of(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(
          "Model directory " + dir.toAbsolutePath() + " does not exist or is not a directory.");
    }
    for (Path d : new Path[] {dir, dir.resolve("onnx")}) {
      Path text = d.resolve("text_model.onnx");
      Path vision = d.resolve("vision_model.onnx");
      if (Files.isRegularFile(text) && Files.isRegularFile(vision))
        return new ModelLayout(Kind.SPLIT, dir, text, vision);
    }
    for (Path d : new Path[] {dir, dir.resolve("onnx")}) {
      Path text = d.resolve("textual.onnx");
      Path vision = d.resolve("visual.onnx");
      if (Files.isRegularFile(text) && Files.isRegularFile(vision))
        return new ModelLayout(Kind.OPEN_CLIP, dir, text, vision);
    }
    for (Path d : new Path[] {dir, dir.resolve("onnx")}) {
      Path model = d.resolve("model.onnx");
      if (Files.isRegularFile(model)) return new ModelLayout(Kind.COMBINED, dir, model, model);
    }
    throw new LayoutException(
        "The model directory "
            + dir.toAbsolutePath()
            + " has no layout Tessera understands. Found: "
            + listing(dir)
            + ". Expected: "
            + EXPECTED
            + ".");
  }

  /** The ONNX graphs, each once. */
  public List<Path> graphs() {
    return textModel.equals(visionModel) ? List.of(textModel) : List.of(textModel, visionModel);
  }

  /** A JSON file beside the graphs, else in the model directory; null when absent. */
  Path sidecar(String name) {
    Path beside = textModel.getParent().resolve(name);
    if (Files.isRegularFile(beside)) return beside;
    Path top = root.resolve(name);
    return Files.isRegularFile(top) ? top : null;
  }

  /**
   * The graphs with their external-data files ({@code model.onnx_data}, {@code model.onnx.data},
   * ...), which change the numbers as much as the graphs do.
   */
  List<Path> modelFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path g : graphs()) {
      files.add(g);
      String base = g.getFileName().toString();
      String stem = base.substring(0, base.length() - ".onnx".length());
      try (Stream<Path> s = Files.list(g.getParent())) {
        s.filter(Files::isRegularFile)
            .filter(
                p -> {
                  String n = p.getFileName().toString();
                  return !n.equals(base)
                      && (n.startsWith(base + "_data")
                          || n.startsWith(base + ".data")
                          || n.equals(stem + ".onnx_data")
                          || n.equals(stem + ".data"));
                })
            .sorted()
            .forEach(files::add);
      }
    }
    return files;
  }

  private static String listing(Path dir) throws IOException {
    final List<String> names = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.sorted().forEach(p -> names.add(p.getFileName() + (Files.isDirectory(p) ? "/" : "")));
    }
    Path onnx = dir.resolve("onnx");
    if (Files.isDirectory(onnx)) {
      try (Stream<Path> s = Files.list(onnx)) {
        s.sorted().forEach(p -> names.add("onnx/" + p.getFileName()));
      }
    }
    if (names.isEmpty()) return "nothing (the directory is empty)";
    if (names.size() > 40) {
      int more = names.size() - 40;
      return String.join(", ", names.subList(0, 40)) + ", … " + more + " more";
    }
    return String.join(", ", names);
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(Locale.ROOT) + " layout in " + root;
  }

  /**
   * A model directory whose layout is not understood; the message lists what was found and
   * expected.
   */
  public static final class LayoutException extends IOException {
    private static final long serialVersionUID = 1L;

    /** An exception with the message. */
    public LayoutException(String message) {
      super(message);
    }
  }
}
