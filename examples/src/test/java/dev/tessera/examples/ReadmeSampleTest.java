package dev.tessera.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The root README's library section can not rot: its dependency block is this module's, and its
 * Java code, taken verbatim from README.md, compiles against exactly that class path and runs.
 */
class ReadmeSampleTest {
  /** Surefire runs in the module directory; the repository root is its parent. */
  static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  static String librarySection() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    int start = readme.indexOf("\n## Using the library\n");
    assertThat(start).as("README.md has a '## Using the library' section").isNotNegative();
    int end = readme.indexOf("\n## ", start + 1);
    return readme.substring(start, end < 0 ? readme.length() : end);
  }

  static String block(String section, String language) {
    Matcher m = Pattern.compile("```" + language + "\n(.*?)```", Pattern.DOTALL).matcher(section);
    assertThat(m.find()).as("a ```%s block in the library section", language).isTrue();
    String code = m.group(1);
    assertThat(m.find()).as("only one ```%s block in the library section", language).isFalse();
    return code;
  }

  static Element parse(String xml) throws Exception {
    return DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))
        .getDocumentElement();
  }

  static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node n = nodes.item(i);
      if (n instanceof Element e && e.getTagName().equals(name)) out.add(e);
    }
    return out;
  }

  static String text(Element parent, String name) {
    List<Element> c = children(parent, name);
    return c.isEmpty() ? null : c.get(0).getTextContent().strip();
  }

  /** groupId:artifactId of each dependency in {@code dependencies} that is not test scoped. */
  static List<String> coordinates(Element dependencies) {
    List<String> out = new ArrayList<>();
    for (Element d : children(dependencies, "dependency")) {
      if ("test".equals(text(d, "scope"))) continue;
      out.add(text(d, "groupId") + ":" + text(d, "artifactId"));
    }
    return out;
  }

  @Test
  void the_readme_dependency_block_is_this_modules_dependencies() throws Exception {
    Element snippet = parse("<project>" + block(librarySection(), "xml") + "</project>");
    Element pom = parse(Files.readString(ROOT.resolve("examples/pom.xml")));
    String version = text(children(pom, "parent").get(0), "version");

    Element bom =
        children(
                children(children(snippet, "dependencyManagement").get(0), "dependencies").get(0),
                "dependency")
            .get(0);
    assertThat(text(bom, "groupId") + ":" + text(bom, "artifactId"))
        .isEqualTo("dev.tessera:tessera-bom");
    assertThat(text(bom, "version")).as("the BOM version in the README").isEqualTo(version);
    assertThat(text(bom, "type")).isEqualTo("pom");
    assertThat(text(bom, "scope")).isEqualTo("import");

    List<String> readme = coordinates(children(snippet, "dependencies").get(0));
    assertThat(readme)
        .containsExactly(
            "dev.tessera:tessera-api",
            "dev.tessera:tessera-index-lucene",
            "dev.tessera:tessera-encoders-onnx");
    assertThat(coordinates(children(pom, "dependencies").get(0)))
        .as("examples/pom.xml declares what the README declares")
        .containsExactlyElementsOf(readme);
  }

  @Test
  void the_readme_code_compiles_and_finds_the_red_circle(@TempDir Path tmp) throws Exception {
    String code = block(librarySection(), "java");
    Matcher name = Pattern.compile("public class (\\w+)").matcher(code);
    assertThat(name.find()).as("the sample declares a public class").isTrue();
    Path source = Files.createDirectories(tmp.resolve("src")).resolve(name.group(1) + ".java");
    Files.writeString(source, code);
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    String classPath =
        Files.readString(Path.of("target/readme-class-path.txt"), StandardCharsets.UTF_8).strip();

    // compiled as a user's project would, with every lint an error
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter diagnostics = new StringWriter();
    boolean compiled =
        javac
            .getTask(
                diagnostics,
                null,
                null,
                List.of(
                    "--release",
                    "21",
                    "-Xlint:all",
                    "-Werror",
                    "-classpath",
                    classPath,
                    "-d",
                    classes.toString()),
                null,
                javac
                    .getStandardFileManager(null, null, StandardCharsets.UTF_8)
                    .getJavaFileObjects(source))
            .call();
    assertThat(compiled).as("javac on the README's code:%n%s", diagnostics).isTrue();

    // run from the repository root, as the README says, with the options it names
    Path collection = tmp.resolve("photos.tessera");
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules",
                "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED",
                name.group(1),
                collection.toString())
            .directory(ROOT.toFile())
            .redirectErrorStream(true);
    // The class path travels in CLASSPATH: a long command line crashes ONNX Runtime's start-up
    // (issue 11), a long variable does not.
    pb.environment().put("CLASSPATH", classes + File.pathSeparator + classPath);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the sample ended").isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    List<String> hits =
        out.lines().filter(l -> l.matches("-?\\d\\.\\d{3}  (image|text )  \\S+")).toList();
    assertThat(hits).as(out).hasSize(3);
    assertThat(hits.get(0)).as("the best hit of 'a red circle'").endsWith("red-circle.png");
    assertThat(out).contains("best picture: red-circle.png");
    assertThat(Files.isDirectory(collection))
        .as("the collection where the sample was told")
        .isTrue();
  }
}
