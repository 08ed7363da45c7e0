package dev.tessera.api;

/** A filter's text form could not be read; the message names the position and what was expected. */
public final class FilterSyntaxException extends TesseraException {
  private static final long serialVersionUID = 1L;

  private final String text;
  private final int position;

  /** An error at {@code position} (0-based) of {@code text}. */
  public FilterSyntaxException(String problem, String text, int position) {
    super(message(problem, text, position));
    this.text = text;
    this.position = position;
  }

  private static String message(String problem, String text, int position) {
    return "Bad filter at position " + (position + 1) + " of '" + text + "': " + problem;
  }

  /** Two lines for a terminal: the filter text, and a caret under the position. */
  public String pointer() {
    return text + "\n" + " ".repeat(Math.max(0, position)) + "^";
  }

  /** The filter text that was read. */
  public String text() {
    return text;
  }

  /** Where the error is, 0-based. */
  public int position() {
    return position;
  }
}
