package dev.tessera.architecture;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ModifiersTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Finds public types (and, where asked, public and protected members) without a javadoc comment, by
 * parsing sources with javac's tree API. javac's own doclint can not do this alone: its "missing"
 * group also demands every {@code @param} and {@code @return}, which the project does not require
 * (Lucene's build checks the same way).
 */
final class JavadocPresence {
  private JavadocPresence() {}

  /** Every {@code .java} file under {@code root}. */
  static List<Path> sources(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.toString().endsWith(".java"))
          .filter(p -> !p.getFileName().toString().equals("module-info.java"))
          .filter(p -> !p.getFileName().toString().equals("package-info.java"))
          .sorted()
          .toList();
    }
  }

  /**
   * The places in {@code files} that lack a doc comment: every public type, and with {@code
   * members} also every public or protected constructor, method, field and enum constant of a
   * public type (overrides excepted: they inherit their documentation).
   */
  static List<String> missing(List<Path> files, boolean members) throws IOException {
    if (files.isEmpty()) return List.of();
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    try (StandardJavaFileManager fm =
        javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      Iterable<? extends JavaFileObject> units = fm.getJavaFileObjectsFromPaths(files);
      JavacTask task =
          (JavacTask) javac.getTask(null, fm, d -> {}, List.of("-proc:none"), null, units);
      DocTrees docs = DocTrees.instance(task);
      List<String> out = new ArrayList<>();
      for (CompilationUnitTree unit : task.parse()) {
        new Scanner(docs, unit, members, out).scan(unit, null);
      }
      return out;
    }
  }

  private static final class Scanner extends TreePathScanner<Void, Void> {
    private final DocTrees docs;
    private final CompilationUnitTree unit;
    private final boolean members;
    private final List<String> out;

    /** Whether each enclosing type is public (or an interface member, which is public). */
    private final List<Boolean> publicTypes = new ArrayList<>();

    Scanner(DocTrees docs, CompilationUnitTree unit, boolean members, List<String> out) {
      this.docs = docs;
      this.unit = unit;
      this.members = members;
      this.out = out;
    }

    @Override
    public Void visitClass(ClassTree tree, Void unused) {
      boolean enclosingPublic = publicTypes.isEmpty() || publicTypes.get(publicTypes.size() - 1);
      boolean isPublic = enclosingPublic && (isPublic(tree.getModifiers()) || inInterface());
      if (isPublic) check(tree.getSimpleName() + " (type)");
      publicTypes.add(isPublic);
      try {
        return super.visitClass(tree, unused);
      } finally {
        publicTypes.remove(publicTypes.size() - 1);
      }
    }

    @Override
    public Void visitMethod(MethodTree tree, Void unused) {
      if (members && inPublicType() && visible(tree.getModifiers()) && !overrides(tree)) {
        String name =
            tree.getName().contentEquals("<init>") ? "constructor" : tree.getName() + "()";
        if (!isCompactOrImplicit(tree)) check(enclosingName() + "." + name);
      }
      return null; // bodies hold no documented elements
    }

    @Override
    public Void visitVariable(VariableTree tree, Void unused) {
      Tree parent = getCurrentPath().getParentPath().getLeaf();
      if (members
          && parent instanceof ClassTree owner
          && inPublicType()
          && (visible(tree.getModifiers())
              || owner.getKind() == Tree.Kind.INTERFACE
              || isEnumConstant(tree, owner))
          && owner.getKind() != Tree.Kind.RECORD) {
        check(enclosingName() + "." + tree.getName());
      }
      return null;
    }

    private boolean isEnumConstant(VariableTree tree, ClassTree owner) {
      return owner.getKind() == Tree.Kind.ENUM
          && tree.getType() instanceof com.sun.source.tree.IdentifierTree id
          && id.getName().contentEquals(owner.getSimpleName());
    }

    private boolean isCompactOrImplicit(MethodTree tree) {
      // A record's compact constructor is documented like any constructor; implicit ones have no
      // source.
      return tree.getReturnType() == null
          && getCurrentPath().getParentPath().getLeaf() instanceof ClassTree c
          && c.getKind() == Tree.Kind.ENUM
          && tree.getModifiers().getFlags().isEmpty();
    }

    private void check(String what) {
      TreePath path = getCurrentPath();
      if (docs.getDocComment(path) == null) {
        long line =
            unit.getLineMap()
                .getLineNumber(docs.getSourcePositions().getStartPosition(unit, path.getLeaf()));
        out.add(Path.of(unit.getSourceFile().toUri()).getFileName() + ":" + line + " " + what);
      }
    }

    private boolean inPublicType() {
      return !publicTypes.isEmpty() && publicTypes.get(publicTypes.size() - 1);
    }

    private boolean inInterface() {
      TreePath parent = getCurrentPath().getParentPath();
      return parent != null
          && parent.getLeaf() instanceof ClassTree c
          && (c.getKind() == Tree.Kind.INTERFACE || c.getKind() == Tree.Kind.ANNOTATION_TYPE);
    }

    private boolean visible(ModifiersTree m) {
      if (m.getFlags().contains(Modifier.PRIVATE)) return false;
      return m.getFlags().contains(Modifier.PUBLIC)
          || m.getFlags().contains(Modifier.PROTECTED)
          || inInterface();
    }

    private static boolean isPublic(ModifiersTree m) {
      return m.getFlags().contains(Modifier.PUBLIC);
    }

    private static boolean overrides(MethodTree tree) {
      return tree.getModifiers().getAnnotations().stream()
          .anyMatch(a -> a.getAnnotationType().toString().endsWith("Override"));
    }

    private String enclosingName() {
      for (TreePath p = getCurrentPath().getParentPath(); p != null; p = p.getParentPath()) {
        if (p.getLeaf() instanceof ClassTree c) return c.getSimpleName().toString();
      }
      return "?";
    }
  }
}
