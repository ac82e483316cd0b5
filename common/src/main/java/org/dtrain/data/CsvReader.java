package org.dtrain.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a CSV file with a header row into a {@link LabeledTable}: the named label column is the label,
 * every other column a feature, in file order.
 *
 * <p>Format: comma-separated, UTF-8 (a leading byte-order mark is ignored), spaces around cells
 * trimmed, cells may be double-quoted ({@code ""} inside quotes is one quote), blank lines skipped,
 * gzip read transparently. Every cell must be a finite number; NaN and infinities are rejected
 * because a single one silently turns every weight into NaN after the first step.
 */
public final class CsvReader {
  private static final int MAX_COLUMNS_LISTED = 12;

  private CsvReader() {}

  /**
   * @param path the file to read (may be gzipped)
   * @param displayName the path as the user wrote it, used in messages
   * @param labelColumn the name of the label column
   */
  public static LabeledTable read(Path path, String displayName, String labelColumn) {
    return read(path, displayName, labelColumn, true);
  }

  /**
   * @param labelRequired when false, a file without the label column reads as features only
   *     ({@link LabeledTable#labelColumn()} is then 0 and the labels are NaN): data to predict on
   */
  public static LabeledTable read(Path path, String displayName, String labelColumn,
      boolean labelRequired) {
    InputStream in = Inputs.open(path, displayName);
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
      return parse(reader, displayName, labelColumn, labelRequired);
    } catch (IOException e) {
      throw Inputs.readError(displayName, e);
    } finally {
      Inputs.closeQuietly(in);
    }
  }

  private static LabeledTable parse(BufferedReader reader, String file, String labelName,
      boolean labelRequired) throws IOException {
    List<String> cells = new ArrayList<>();
    int lineNo = 0;
    String line;
    // Header: the first non-blank line.
    do {
      line = reader.readLine();
      lineNo++;
    } while (line != null && line.isBlank());
    if (line == null) {
      throw DataException.at(file, "expected a header row naming the columns, found an empty file");
    }
    if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
      line = line.substring(1); // byte-order mark written by some spreadsheet exports
    }
    int headerLine = lineNo;
    split(line, file, lineNo, cells);
    String[] header = cells.toArray(new String[0]);
    boolean unlabelled = !labelRequired && !Arrays.asList(header).contains(labelName);
    int labelIndex = unlabelled ? -1 : checkHeader(header, file, headerLine, labelName);

    int cols = unlabelled ? header.length : header.length - 1;
    String[] featureNames = new String[cols];
    for (int c = 0, f = 0; c < header.length; c++) {
      if (c != labelIndex) {
        featureNames[f++] = header[c];
      }
    }

    int capacity = 1024;
    float[] x = new float[capacity * cols]; // (rows, cols), grown by doubling
    double[] labels = new double[capacity]; // (rows)
    int[] lines = new int[capacity]; // (rows)
    int rows = 0;
    while ((line = reader.readLine()) != null) {
      lineNo++;
      if (line.isBlank()) {
        continue; // usually the trailing newline of the last row, or spacing by hand
      }
      split(line, file, lineNo, cells);
      if (cells.size() != header.length) {
        throw DataException.at(file, lineNo, "expected " + header.length
            + " columns as in the header (line " + headerLine + "), found " + cells.size());
      }
      if (rows == capacity) {
        if ((long) capacity * 2 * cols > Integer.MAX_VALUE - 8) {
          throw DataException.at(file, lineNo, "expected at most " + (Integer.MAX_VALUE / cols)
              + " rows of " + cols + " features (one Java array), found more");
        }
        capacity *= 2;
        x = Arrays.copyOf(x, capacity * cols);
        labels = Arrays.copyOf(labels, capacity);
        lines = Arrays.copyOf(lines, capacity);
      }
      int base = rows * cols;
      for (int c = 0, f = 0; c < header.length; c++) {
        String cell = cells.get(c);
        int small = smallInt(cell);
        if (small != NOT_SMALL) {
          if (c == labelIndex) {
            labels[rows] = small;
          } else {
            x[base + f++] = small;
          }
          continue;
        }
        checkNumberText(cell, file, lineNo, c, header[c]);
        try {
          if (c == labelIndex) {
            // Labels stay double so integer class ids and large regression targets are exact.
            double v = Double.parseDouble(cell);
            if (!Double.isFinite(v)) { // e.g. 1e999
              throw notFinite(cell, file, lineNo, c, header[c], "");
            }
            labels[rows] = v;
          } else {
            // Parsed straight to float (not via double) so values round once, as float data should.
            float v = Float.parseFloat(cell);
            if (!Float.isFinite(v)) { // e.g. 1e39 overflows float
              throw notFinite(cell, file, lineNo, c, header[c], " within float range (about ±3.4e38)");
            }
            x[base + f++] = v;
          }
        } catch (NumberFormatException e) {
          throw notANumber(cell, file, lineNo, c, header[c]);
        }
      }
      lines[rows] = lineNo;
      rows++;
    }
    if (rows == 0) {
      throw DataException.at(file, headerLine + 1,
          "expected data rows after the header, found none (the file has only a header)");
    }
    double[] rowLabels = Arrays.copyOf(labels, rows);
    if (unlabelled) {
      Arrays.fill(rowLabels, Double.NaN);
    }
    return new LabeledTable(file, featureNames, unlabelled ? labelName : header[labelIndex],
        Arrays.copyOf(x, rows * cols), rowLabels, Arrays.copyOf(lines, rows), labelIndex + 1);
  }

  /** Validates the header and returns the 0-based index of the label column. */
  private static int checkHeader(String[] header, String file, int line, String labelName) {
    Map<String, Integer> seen = new HashMap<>();
    for (int c = 0; c < header.length; c++) {
      if (header[c].isEmpty()) {
        throw DataException.at(file, line, c + 1,
            "expected a column name in the header, found an empty cell");
      }
      Integer first = seen.putIfAbsent(header[c], c);
      if (first != null) {
        throw DataException.at(file, line, c + 1, "expected unique column names, found '"
            + header[c] + "' again (also column " + (first + 1) + ")");
      }
    }
    Integer labelIndex = seen.get(labelName);
    if (labelIndex == null) {
      if (allNumbers(header)) {
        throw DataException.at(file, line, "expected a header row naming the columns (with a '"
            + labelName + "' label column), found numbers: " + listed(header));
      }
      throw DataException.at(file, line, "expected a label column '" + labelName
          + "', found columns " + listed(header) + " (choose the label column with --label)");
    }
    if (header.length == 1) {
      throw DataException.at(file, line, "expected at least one feature column besides the label '"
          + labelName + "', found only the label");
    }
    return labelIndex;
  }

  private static boolean allNumbers(String[] header) {
    for (String h : header) {
      try {
        Double.parseDouble(h);
      } catch (NumberFormatException e) {
        return false;
      }
    }
    return true;
  }

  /** Column names for a one-line message; wide files (MNIST has 785 columns) are cut short. */
  private static String listed(String[] header) {
    StringBuilder sb = new StringBuilder();
    int n = Math.min(header.length, MAX_COLUMNS_LISTED);
    for (int c = 0; c < n; c++) {
      sb.append(c == 0 ? "" : ", ").append('\'').append(header[c]).append('\'');
    }
    if (header.length > n) {
      sb.append(", ... (").append(header.length).append(" columns)");
    }
    return sb.toString();
  }

  /**
   * Rejects cells that are not plain decimal numbers before they reach Float.parseFloat, which would
   * accept Java literal suffixes ("1f", "2d"), hex floats and NaN/Infinity. Checked character by
   * character, without a regex, because this runs once per cell.
   */
  private static void checkNumberText(String cell, String file, int line, int c, String column) {
    if (cell.isEmpty()) {
      throw DataException.at(file, line, c + 1,
          "column '" + column + "': expected a number, found an empty cell");
    }
    if (plainDecimal(cell)) {
      return;
    }
    if (nonFiniteWord(cell)) {
      throw notFinite(cell, file, line, c, column, "");
    }
    throw notANumber(cell, file, line, c, column);
  }

  private static final int NOT_SMALL = Integer.MIN_VALUE;

  /**
   * The value of a cell of at most 7 digits with an optional minus sign, else NOT_SMALL. Such
   * integers (pixel values, class ids) are exact in float, so this fast path gives the same bits
   * as Float.parseFloat at a fraction of the cost on image-like CSVs.
   */
  private static int smallInt(String s) {
    int n = s.length();
    int i = n > 0 && s.charAt(0) == '-' ? 1 : 0;
    if (n == i || n - i > 7) {
      return NOT_SMALL;
    }
    int v = 0;
    for (; i < n; i++) {
      char ch = s.charAt(i);
      if (ch < '0' || ch > '9') {
        return NOT_SMALL;
      }
      v = v * 10 + (ch - '0');
    }
    if (s.charAt(0) == '-') {
      return v == 0 ? NOT_SMALL : -v; // "-0" is -0.0f, which an int cannot carry
    }
    return v;
  }

  private static DataException notFinite(String cell, String file, int line, int c, String column,
      String range) {
    return DataException.at(file, line, c + 1,
        "column '" + column + "': expected a finite number" + range + ", found '" + cell + "'");
  }

  private static DataException notANumber(String cell, String file, int line, int c, String column) {
    return DataException.at(file, line, c + 1,
        "column '" + column + "': expected a number, found '" + cell + "'");
  }

  private static boolean plainDecimal(String s) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (!((ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '+' || ch == 'e'
          || ch == 'E')) {
        return false;
      }
    }
    return true;
  }

  private static boolean nonFiniteWord(String s) {
    String t = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
    return t.equalsIgnoreCase("nan") || t.equalsIgnoreCase("inf") || t.equalsIgnoreCase("infinity");
  }

  /**
   * Splits one line into trimmed cells. A cell may be double-quoted; quotes let a header name hold
   * a comma. Line breaks inside quotes are not supported: a data row never needs one.
   */
  static void split(String line, String file, int lineNo, List<String> out) {
    out.clear();
    int n = line.length();
    int i = 0;
    while (true) {
      while (i < n && isSpace(line.charAt(i))) {
        i++;
      }
      if (i < n && line.charAt(i) == '"') {
        int open = i;
        StringBuilder sb = new StringBuilder();
        i++;
        while (true) {
          if (i >= n) {
            throw DataException.at(file, lineNo, out.size() + 1, "expected a closing quote for the"
                + " quote at character " + (open + 1) + ", found the end of the line");
          }
          char ch = line.charAt(i);
          if (ch == '"') {
            if (i + 1 < n && line.charAt(i + 1) == '"') {
              sb.append('"');
              i += 2;
              continue;
            }
            i++;
            break;
          }
          sb.append(ch);
          i++;
        }
        while (i < n && isSpace(line.charAt(i))) {
          i++;
        }
        if (i < n && line.charAt(i) != ',') {
          throw DataException.at(file, lineNo, out.size() + 1, "expected ',' after a quoted cell,"
              + " found '" + line.charAt(i) + "' at character " + (i + 1));
        }
        out.add(sb.toString());
      } else {
        int start = i;
        while (i < n && line.charAt(i) != ',') {
          i++;
        }
        int end = i;
        while (end > start && isSpace(line.charAt(end - 1))) {
          end--;
        }
        out.add(line.substring(start, end));
      }
      if (i >= n) {
        return;
      }
      i++; // the comma
    }
  }

  private static boolean isSpace(char ch) {
    return ch == ' ' || ch == '\t';
  }
}
