// A measuring aid, not part of the build: see measure.sh.
import java.lang.classfile.*;
import java.lang.classfile.instruction.*;
import java.lang.constant.*;
import java.lang.instrument.*;
import java.security.ProtectionDomain;

/** Prints "SL-SCAN <service>" to stderr each time a ServiceLoader starts a provider lookup (newLookupIterator). */
public class SlAgent {
  public static void premain(String args, Instrumentation inst) throws Exception {
    ClassFileTransformer t = new ClassFileTransformer() {
      public byte[] transform(Module m, ClassLoader l, String name, Class<?> c, ProtectionDomain pd, byte[] b) {
        if (!"java/util/ServiceLoader".equals(name)) return null;
        try {
          ClassFile cf = ClassFile.of();
          ClassModel cm = cf.parse(b);
          ClassDesc sl = ClassDesc.of("java.util.ServiceLoader");
          ClassDesc ps = ClassDesc.of("java.io.PrintStream");
          ClassDesc str = ClassDesc.of("java.lang.String");
          ClassDesc obj = ClassDesc.of("java.lang.Object");
          ClassDesc sys = ClassDesc.of("java.lang.System");
          ClassDesc cls = ClassDesc.of("java.lang.Class");
          return cf.transformClass(cm, ClassTransform.transformingMethodBodies(
              mm -> mm.methodName().equalsString("newLookupIterator"),
              new CodeTransform() {
                boolean done;
                public void accept(CodeBuilder cb, CodeElement e) {
                  if (!done) {
                    done = true;
                    cb.getstatic(sys, "err", ps);
                    cb.ldc("SL-SCAN ");
                    cb.aload(0);
                    cb.getfield(sl, "service", cls);
                    cb.invokevirtual(cls, "getName", MethodTypeDesc.of(str));
                    cb.invokevirtual(str, "concat", MethodTypeDesc.of(str, str));
                    cb.invokevirtual(ps, "println", MethodTypeDesc.of(ConstantDescs.CD_void, str));
                  }
                  cb.with(e);
                }
              }));
        } catch (Throwable ex) { ex.printStackTrace(); return null; }
      }
    };
    inst.addTransformer(t, true);
    inst.retransformClasses(java.util.ServiceLoader.class);
  }
}
