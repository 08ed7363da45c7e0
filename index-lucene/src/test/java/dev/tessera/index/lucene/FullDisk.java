package dev.tessera.index.lucene;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.FilterIndexOutput;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;

/**
 * A file system that fills up: every directory it opens shares one budget of bytes, and a write
 * past it throws {@code IOException("No space left on device")}, as a full disk does. Reads,
 * renames and deletes keep working.
 */
final class FullDisk {
  private final AtomicLong left = new AtomicLong(Long.MAX_VALUE);

  /** From now on only {@code bytes} more fit. */
  void fillUpAfter(long bytes) {
    left.set(bytes);
  }

  /** Space is free again. */
  void free() {
    left.set(Long.MAX_VALUE);
  }

  /** Opens directories on this file system. */
  LuceneStore.DirectoryOpener opener() {
    return path -> new Limited(org.apache.lucene.store.FSDirectory.open(path));
  }

  private void charge(long bytes) throws IOException {
    if (left.addAndGet(-bytes) < 0) {
      left.set(0);
      throw new IOException("No space left on device");
    }
  }

  private final class Limited extends FilterDirectory {
    Limited(Directory in) {
      super(in);
    }

    @Override
    public IndexOutput createOutput(String name, IOContext context) throws IOException {
      return new Charged(in.createOutput(name, context));
    }

    @Override
    public IndexOutput createTempOutput(String prefix, String suffix, IOContext context)
        throws IOException {
      return new Charged(in.createTempOutput(prefix, suffix, context));
    }
  }

  private final class Charged extends FilterIndexOutput {
    Charged(IndexOutput out) {
      super("full disk " + out, out.getName(), out);
    }

    @Override
    public void writeByte(byte b) throws IOException {
      charge(1);
      out.writeByte(b);
    }

    @Override
    public void writeBytes(byte[] b, int offset, int length) throws IOException {
      charge(length);
      out.writeBytes(b, offset, length);
    }
  }
}
