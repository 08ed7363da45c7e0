package dev.tessera.encoders.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CLIP tokenization of a {@code tokenizer.json} through DJL's binding of the Hugging Face
 * tokenizers library: start token, the text's tokens, end token, then padding to the context
 * length. Overlong text is truncated with the end token kept last; empty text gives start + end. A
 * tokenizer whose post-processor appends only an end token (SigLIP's {@code $A </s>}) gives the
 * text's tokens and the end token, without a start token.
 *
 * <p>DJL's native library is taken from its jar; this class switches DJL to offline mode (system
 * properties {@code ai.djl.offline} and {@code OPT_OUT_TRACKING}, unless the application set them)
 * so that nothing is downloaded and no telemetry is sent. Thread-safe.
 */
public final class ClipTokenizer implements AutoCloseable {
  static {
    // Without these DJL may phone home or download a CUDA build of its library at first use.
    if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    if (System.getProperty("OPT_OUT_TRACKING") == null
        && System.getenv("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
  }

  /** {@link #startId()} of a tokenizer that adds no start token (SigLIP's adds only an end). */
  public static final long NONE = -1;

  private final HuggingFaceTokenizer tokenizer;
  private final int contextLength;
  private final long bos;
  private final long eos;
  private final long padId;
  private final boolean addsSpecialTokens;

  /** Token ids and attention masks of a batch, each row padded to the context length. */
  public record Batch(long[][] ids, long[][] attentionMask) {}

  /**
   * Opens {@code tokenizerJson}.
   *
   * @param contextLength tokens per text including start and end (77 for CLIP)
   * @param padId the id padding uses, or {@code null} for the tokenizer's own ({@code
   *     padding.pad_id} in the file, else the end token, as Hugging Face's CLIP tokenizer pads)
   */
  public ClipTokenizer(Path tokenizerJson, int contextLength, Long padId) throws IOException {
    if (contextLength < 2) {
      throw new IllegalArgumentException(
          "Context length must be at least 2 (start and end token), got " + contextLength + ".");
    }
    this.contextLength = contextLength;
    JsonObject json;
    try {
      json = JsonParser.parseString(Files.readString(tokenizerJson)).getAsJsonObject();
    } catch (RuntimeException e) {
      throw new IOException(
          "Tokenizer " + tokenizerJson + " is not a JSON object: " + e.getMessage(), e);
    }
    Map<String, Long> added = new HashMap<>();
    if (json.has("added_tokens") && json.get("added_tokens").isJsonArray()) {
      for (JsonElement t : json.getAsJsonArray("added_tokens")) {
        JsonObject o = t.getAsJsonObject();
        added.put(o.get("content").getAsString(), o.get("id").getAsLong());
      }
    }
    Map<String, String> options = new HashMap<>();
    options.put("addSpecialTokens", "true");
    options.put("truncation", "false");
    options.put("padding", "false");
    try {
      this.tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, options);
    } catch (RuntimeException e) {
      throw new IOException(
          "Tokenizer " + tokenizerJson + " could not be loaded: " + e.getMessage(), e);
    }
    long[] empty = tokenizer.encode("", true, false).getIds();
    if (empty.length >= 2) {
      addsSpecialTokens = true;
      bos = empty[0];
      eos = empty[empty.length - 1];
    } else if (empty.length == 1 && endsOnly(tokenizer, empty[0])) {
      // SigLIP/T5 style: the post-processor appends an end token and adds no start token.
      addsSpecialTokens = true;
      bos = NONE;
      eos = empty[0];
    } else {
      addsSpecialTokens = false;
      Long b = firstOf(added, "<|startoftext|>", "<s>", "[CLS]");
      Long e = firstOf(added, "<|endoftext|>", "</s>", "[SEP]");
      if (b == null || e == null) {
        tokenizer.close();
        throw new IOException(
            "Tokenizer "
                + tokenizerJson
                + " adds no start/end tokens and has no <|startoftext|> and "
                + "<|endoftext|> tokens (added tokens: "
                + added.keySet()
                + "); a CLIP tokenizer needs both.");
      }
      bos = b;
      eos = e;
    }
    Long filePad = null;
    if (json.has("padding")
        && json.get("padding").isJsonObject()
        && json.getAsJsonObject("padding").has("pad_id")) {
      filePad = json.getAsJsonObject("padding").get("pad_id").getAsLong();
    }
    this.padId = padId != null ? padId : filePad != null ? filePad : eos;
  }

  /**
   * Whether the one special token {@code id} the tokenizer adds to an empty text is an end token: a
   * text encodes to its tokens followed by {@code id}.
   */
  private static boolean endsOnly(HuggingFaceTokenizer tokenizer, long id) {
    long[] plain = tokenizer.encode("a", false, false).getIds();
    long[] special = tokenizer.encode("a", true, false).getIds();
    if (special.length != plain.length + 1 || special[plain.length] != id) return false;
    for (int i = 0; i < plain.length; i++) if (special[i] != plain[i]) return false;
    return true;
  }

  private static Long firstOf(Map<String, Long> m, String... keys) {
    for (String k : keys) {
      if (m.containsKey(k)) return m.get(k);
    }
    return null;
  }

  /** Tokens per text, including start and end. */
  public int contextLength() {
    return contextLength;
  }

  /** The start token id, or {@link #NONE} when the tokenizer adds only an end token. */
  public long startId() {
    return bos;
  }

  /** The end token id. */
  public long endId() {
    return eos;
  }

  /** The id used for padding. */
  public long padId() {
    return padId;
  }

  /** One text form of the settings, for the fingerprint. */
  public String canonical() {
    return "context="
        + contextLength
        + ";start="
        + (bos == NONE ? "none" : Long.toString(bos))
        + ";end="
        + eos
        + ";pad="
        + padId
        + ";padding=max_length;truncation=keep_end_token";
  }

  /**
   * Tokenizes {@code texts}: each row is start, tokens, end, padding; overlong rows end with the
   * end token.
   */
  public Batch encode(List<String> texts) {
    long[][] ids = new long[texts.size()][];
    long[][] mask = new long[texts.size()][];
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      if (text == null)
        throw new IllegalArgumentException(
            "Text " + i + " of the batch is null; use \"\" for an empty text.");
      Encoding enc = tokenizer.encode(text, addsSpecialTokens, false);
      long[] raw = enc.getIds();
      long[] row = new long[contextLength];
      long[] m = new long[contextLength];
      int n;
      if (addsSpecialTokens) {
        n = Math.min(raw.length, contextLength);
        System.arraycopy(raw, 0, row, 0, n);
      } else {
        row[0] = bos;
        int body = Math.min(raw.length, contextLength - 1);
        System.arraycopy(raw, 0, row, 1, body);
        n = body + 1;
        if (n < contextLength) row[n++] = eos;
      }
      if (raw.length + (addsSpecialTokens ? 0 : 2) > contextLength)
        row[contextLength - 1] = eos; // truncated: end token kept last
      for (int j = 0; j < contextLength; j++) {
        if (j < n) {
          m[j] = 1;
        } else {
          row[j] = padId;
        }
      }
      ids[i] = row;
      mask[i] = m;
    }
    return new Batch(ids, mask);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
