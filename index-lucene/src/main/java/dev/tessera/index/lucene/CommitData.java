package dev.tessera.index.lucene;

import dev.tessera.api.CorruptCollectionException;
import dev.tessera.api.ModelFingerprint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;

/**
 * What every commit of a store records in Lucene's commit user data, and its checks on open: which
 * store wrote the index, the layout version, the fingerprint's canonical form and the build
 * settings.
 *
 * @param userData the whole commit user data, carried into the next commit unchanged
 * @param fingerprint the recorded fingerprint
 * @param build the recorded build settings, keys without {@link #KEY_SETTING_PREFIX}
 */
record CommitData(
    Map<String, String> userData, ModelFingerprint fingerprint, Map<String, String> build) {
  /** Commit user data: which store wrote the index. */
  static final String KEY_STORE = "tessera.store";

  /** Commit user data: this store's layout version. */
  static final String KEY_FORMAT = "tessera.store-format";

  /** Commit user data: the fingerprint's canonical form. */
  static final String KEY_FINGERPRINT = "tessera.fingerprint";

  /** Commit user data: prefix of the build settings. */
  static final String KEY_SETTING_PREFIX = "tessera.setting.";

  /**
   * The layout version this code writes. 2 indexes typed metadata for native filters ({@link
   * MetadataFields}); 1 had only string-equality terms, so its filters are evaluated on stored
   * metadata ({@link ConditionQuery}). A store keeps the layout it was created with.
   */
  static final String FORMAT = "2";

  /** The layout written before typed metadata was indexed; still read and written. */
  static final String FORMAT_1 = "1";

  /** The user data a new store's commits carry. */
  static Map<String, String> of(ModelFingerprint fingerprint, LuceneSettings settings) {
    return of(fingerprint, settings, FORMAT);
  }

  /** The user data of a new store in layout {@code format}; tests create layout 1 stores. */
  static Map<String, String> of(
      ModelFingerprint fingerprint, LuceneSettings settings, String format) {
    Map<String, String> m = new TreeMap<>();
    m.put(KEY_STORE, LuceneStoreProvider.NAME);
    m.put(KEY_FORMAT, format);
    m.put(KEY_FINGERPRINT, fingerprint.canonical());
    for (Map.Entry<String, String> e : settings.buildEntries().entrySet())
      m.put(KEY_SETTING_PREFIX + e.getKey(), e.getValue());
    return m;
  }

  /**
   * Reads and checks the user data of the latest commit in {@code dir}; a directory without a
   * Lucene index, or with one Tessera's lucene store did not write, is a {@link
   * CorruptCollectionException}.
   */
  static CommitData read(Directory dir, Path path) throws IOException {
    Map<String, String> userData;
    try {
      userData = SegmentInfos.readLatestCommit(dir).getUserData();
    } catch (IndexNotFoundException e) {
      throw new CorruptCollectionException(
          "There is no Lucene index in "
              + path
              + ": the lucene store was never created there, or its segments_N files were removed.",
          e);
    }
    ModelFingerprint fp = fingerprint(userData, path);
    Map<String, String> build = new TreeMap<>();
    for (Map.Entry<String, String> e : userData.entrySet()) {
      if (e.getKey().startsWith(KEY_SETTING_PREFIX))
        build.put(e.getKey().substring(KEY_SETTING_PREFIX.length()), e.getValue());
    }
    return new CommitData(userData, fp, build);
  }

  /** Whether this store indexes typed metadata (layout 2) rather than layout 1's string terms. */
  boolean nativeFilters() {
    return FORMAT.equals(userData.get(KEY_FORMAT));
  }

  private static ModelFingerprint fingerprint(Map<String, String> userData, Path path) {
    if (!LuceneStoreProvider.NAME.equals(userData.get(KEY_STORE))) {
      throw new CorruptCollectionException(
          "The Lucene index in "
              + path
              + " was not written by Tessera's lucene store (its commit data has no "
              + KEY_STORE
              + "="
              + LuceneStoreProvider.NAME
              + "; found "
              + userData.keySet()
              + ").");
    }
    String format = userData.get(KEY_FORMAT);
    if (!FORMAT.equals(format) && !FORMAT_1.equals(format)) {
      throw new CorruptCollectionException(
          "The lucene store in "
              + path
              + " has layout version "
              + format
              + "; this version of Tessera reads versions "
              + FORMAT_1
              + " and "
              + FORMAT
              + ". Open it with the Tessera version that wrote it, or reindex it.");
    }
    String fp = userData.get(KEY_FINGERPRINT);
    try {
      return ModelFingerprint.parse(fp);
    } catch (IllegalArgumentException e) {
      throw new CorruptCollectionException(
          "The lucene store in " + path + " records an unreadable fingerprint: " + e.getMessage(),
          e);
    }
  }
}
