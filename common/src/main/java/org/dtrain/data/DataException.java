package org.dtrain.data;

/**
 * Bad input data or a bad data option, reported to a person.
 *
 * <p>The message is one line that stands alone, because the CLI prints only the message (no stack
 * trace): it starts with where the problem is ({@code file:line:column}, 1-based, with the path as the
 * user wrote it, or the option key), then says what was expected and what was found, e.g.
 * {@code iris.csv:7:3: column 'petal_length': expected a finite number, found 'NaN'}.
 *
 * <p>It extends {@link IllegalArgumentException} so that callers that only know "bad argument" still
 * treat it as the user's mistake rather than a bug.
 */
public final class DataException extends IllegalArgumentException {

  public DataException(String message) {
    super(oneLine(message));
  }

  public DataException(String message, Throwable cause) {
    super(oneLine(message), cause);
  }

  /** {@code where: what} where {@code where} is e.g. {@code file:line:column}. */
  static DataException at(String where, String what) {
    return new DataException(where + ": " + what);
  }

  /** {@code file:line:column: what}, both positions 1-based. */
  static DataException at(String file, int line, int column, String what) {
    return new DataException(file + ":" + line + ":" + column + ": " + what);
  }

  /** {@code file:line: what} for problems that concern a whole line. */
  static DataException at(String file, int line, String what) {
    return new DataException(file + ":" + line + ": " + what);
  }

  // A message built from a file's content (a cell, an I/O error text) could carry a line break,
  // which would split the one-line report; such characters are shown escaped instead.
  private static String oneLine(String message) {
    if (message == null || (message.indexOf('\n') < 0 && message.indexOf('\r') < 0)) {
      return message;
    }
    return message.replace("\r", "\\r").replace("\n", "\\n");
  }
}
