package org.dtrain.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
  @TempDir Path dir;

  private LabeledTable read(String name, String content) {
    return CsvReader.read(TestFiles.text(dir.resolve(name), content), name, "label");
  }

  private DataException fails(String name, String content) {
    return assertThrows(DataException.class, () -> read(name, content));
  }

  @Test
  void readsFeaturesInFileOrderAndTheLabelColumnWhereverItIs() {
    LabeledTable t = read("t.csv", "a,label,b\n1,0,2\n3,1,4\n");
    assertEquals(2, t.rows());
    assertEquals(2, t.cols());
    assertArrayEquals(new String[] {"a", "b"}, t.featureNames());
    assertEquals("label", t.labelName());
    assertArrayEquals(new float[] {1, 2, 3, 4}, t.features());
    assertArrayEquals(new double[] {0, 1}, t.labels());
    assertEquals(2, t.labelColumn());
    assertEquals(2, t.sourceLine(0));
    assertEquals(3, t.sourceLine(1));
    assertEquals("t.csv", t.source());
  }

  @Test
  void trimsSpacesUnquotesHeaderNamesSkipsBlankLinesAndCarriageReturns() {
    LabeledTable t = read("t.csv",
        "\uFEFF \"petal, length\" , \"say \"\"hi\"\"\",label\r\n\r\n 1.5 , -2e1 ,\"1\"\r\n\n");
    assertArrayEquals(new String[] {"petal, length", "say \"hi\""}, t.featureNames());
    assertArrayEquals(new float[] {1.5f, -20f}, t.features());
    assertArrayEquals(new double[] {1}, t.labels());
    assertEquals(3, t.sourceLine(0));
  }

  @Test
  void usesTheConfiguredLabelColumnAndNamesItInLabelErrors() {
    Path f = TestFiles.text(dir.resolve("s.csv"), "x,species\n1,0.5\n");
    LabeledTable t = CsvReader.read(f, "s.csv", "species");
    assertEquals("species", t.labelName());
    DataException e = assertThrows(DataException.class, t::inferNumClasses);
    assertEquals("s.csv:2:2: label 'species': expected an integer class id >= 0, found 0.5",
        e.getMessage());
  }

  @Test
  void readsGzipByContentNotByFileName() {
    Path gz = TestFiles.bytes(dir.resolve("plain-name.csv"), TestFiles.gzip("a,label\n7,1\n"));
    assertArrayEquals(new float[] {7}, CsvReader.read(gz, "plain-name.csv", "label").features());
    Path plain = TestFiles.text(dir.resolve("not-really.csv.gz"), "a,label\n8,0\n");
    assertArrayEquals(new float[] {8}, CsvReader.read(plain, "not-really.csv.gz", "label").features());
  }

  @Test
  void parsesFeaturesExactlyAsFloatParseFloat() {
    // Just above the midpoint of 1 and the next float: via double it rounds to the midpoint and then
    // (ties to even) down to 1; parsed as float it correctly rounds up.
    String v = "1.0000000596046447753906250001";
    LabeledTable t = read("p.csv", "a,label\n" + v + ",0\n");
    assertEquals(Math.nextUp(1f), t.features()[0]);
  }

  @Test
  void integerCellsGiveTheSameBitsAsFloatParseFloat() {
    String[] cells = {"0", "-0", "0007", "255", "-1234567", "9999999", "12345678", "16777217"};
    LabeledTable t = read("i.csv", "a,label\n" + String.join(",0\n", cells) + ",-0\n");
    for (int r = 0; r < cells.length; r++) {
      assertEquals(Float.floatToRawIntBits(Float.parseFloat(cells[r])),
          Float.floatToRawIntBits(t.features()[r]), cells[r]);
    }
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(t.labels()[7]));
  }

  @Test
  void missingFileSaysNoSuchFileWithThePathAsGiven() {
    DataException e = assertThrows(DataException.class,
        () -> CsvReader.read(dir.resolve("nope.csv"), "data/nope.csv", "label"));
    assertEquals("data/nope.csv: no such file", e.getMessage());
  }

  @Test
  void aDirectoryIsNotADataFile() {
    DataException e = assertThrows(DataException.class,
        () -> CsvReader.read(dir, "some/dir", "label"));
    assertEquals("some/dir: expected a data file, found a directory", e.getMessage());
  }

  @Test
  void unreadableFileSaysPermissionDenied() throws IOException {
    Path f = TestFiles.text(dir.resolve("secret.csv"), "a,label\n1,0\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
    assumeFalse(Files.isReadable(f), "running as root: permissions are not enforced");
    DataException e = assertThrows(DataException.class,
        () -> CsvReader.read(f, "secret.csv", "label"));
    assertEquals("secret.csv: cannot read the file: permission denied", e.getMessage());
  }

  @Test
  void corruptGzipIsReportedAsSuch() {
    byte[] gz = TestFiles.gzip("a,label\n" + "1,0\n".repeat(1000));
    byte[] cut = java.util.Arrays.copyOf(gz, gz.length / 2);
    Path f = TestFiles.bytes(dir.resolve("cut.csv.gz"), cut);
    DataException e = assertThrows(DataException.class, () -> CsvReader.read(f, "cut.csv.gz", "label"));
    assertTrue(e.getMessage().startsWith("cut.csv.gz: cannot read: the gzip data is corrupt or cut short"),
        e.getMessage());
  }

  @Test
  void emptyFileHasNoHeader() {
    assertEquals("e.csv: expected a header row naming the columns, found an empty file",
        fails("e.csv", "").getMessage());
    assertEquals("e.csv: expected a header row naming the columns, found an empty file",
        fails("e.csv", "\n  \n").getMessage());
  }

  @Test
  void headerWithNoRowsNamesTheLineAfterTheHeader() {
    assertEquals("h.csv:2: expected data rows after the header, found none (the file has only a header)",
        fails("h.csv", "a,b,label\n").getMessage());
  }

  @Test
  void missingLabelColumnListsTheColumnsFoundAndMentionsLabelOption() {
    assertEquals("m.csv:1: expected a label column 'label', found columns 'a', 'b', 'class'"
            + " (choose the label column with --label)",
        fails("m.csv", "a,b,class\n1,2,0\n").getMessage());
  }

  @Test
  void missingLabelColumnInAWideFileListsOnlyTheFirstColumns() {
    StringBuilder header = new StringBuilder("c0");
    for (int i = 1; i < 100; i++) {
      header.append(",c").append(i);
    }
    String m = fails("w.csv", header + "\n").getMessage();
    assertTrue(m.startsWith("w.csv:1: expected a label column 'label', found columns 'c0', 'c1',"), m);
    assertTrue(m.contains("'c11', ... (100 columns) (choose the label column with --label)"), m);
  }

  @Test
  void headerlessFileSaysAHeaderRowIsExpected() {
    assertEquals("n.csv:1: expected a header row naming the columns (with a 'label' label column),"
            + " found numbers: '5.1', '3.5', '0'",
        fails("n.csv", "5.1,3.5,0\n4.9,3.0,0\n").getMessage());
  }

  @Test
  void labelOnlyHeaderHasNoFeatures() {
    assertEquals("l.csv:1: expected at least one feature column besides the label 'label', found only"
        + " the label", fails("l.csv", "label\n1\n").getMessage());
  }

  @Test
  void duplicateHeaderNamesNameBothColumns() {
    assertEquals("d.csv:1:3: expected unique column names, found 'a' again (also column 1)",
        fails("d.csv", "a,b,a,label\n1,2,3,0\n").getMessage());
  }

  @Test
  void emptyHeaderNameIsRejected() {
    assertEquals("i.csv:1:1: expected a column name in the header, found an empty cell",
        fails("i.csv", ",a,label\n0,1,0\n").getMessage());
  }

  @Test
  void raggedRowWithTooFewColumns() {
    assertEquals("r.csv:3: expected 3 columns as in the header (line 1), found 2",
        fails("r.csv", "a,b,label\n1,2,0\n1,0\n").getMessage());
  }

  @Test
  void raggedRowWithTooManyColumnsCountsATrailingComma() {
    assertEquals("r.csv:2: expected 3 columns as in the header (line 1), found 4",
        fails("r.csv", "a,b,label\n1,2,0,\n").getMessage());
  }

  @Test
  void nonNumericCellNamesLineColumnAndValue() {
    assertEquals("iris.csv:3:2: column 'sepal_width': expected a number, found 'abc'",
        fails("iris.csv", "sepal_length,sepal_width,label\n1,2,0\n1,abc,0\n").getMessage());
  }

  @Test
  void javaFloatSuffixesAreNotNumbers() {
    assertEquals("f.csv:2:1: column 'a': expected a number, found '1f'",
        fails("f.csv", "a,label\n1f,0\n").getMessage());
    assertEquals("f.csv:2:1: column 'a': expected a number, found '0x1p3'",
        fails("f.csv", "a,label\n0x1p3,0\n").getMessage());
  }

  @Test
  void malformedNumberMadeOfDigitCharactersIsNotANumber() {
    assertEquals("f.csv:2:1: column 'a': expected a number, found '1-2'",
        fails("f.csv", "a,label\n1-2,0\n").getMessage());
  }

  @Test
  void emptyCellIsNotANumber() {
    assertEquals("e.csv:2:2: column 'b': expected a number, found an empty cell",
        fails("e.csv", "a,b,label\n1,,0\n").getMessage());
  }

  @Test
  void nanCellIsRejectedAsNotFinite() {
    assertEquals("iris.csv:7:3: column 'petal_length': expected a finite number, found 'NaN'",
        fails("iris.csv", "sepal_length,sepal_width,petal_length,label\n"
            + "1,2,3,0\n".repeat(5) + "1,2,NaN,0\n").getMessage());
  }

  @Test
  void infinityCellsAreRejectedAsNotFinite() {
    assertEquals("i.csv:2:1: column 'a': expected a finite number, found '-Infinity'",
        fails("i.csv", "a,label\n-Infinity,0\n").getMessage());
    assertEquals("i.csv:2:1: column 'a': expected a finite number, found 'inf'",
        fails("i.csv", "a,label\ninf,0\n").getMessage());
  }

  @Test
  void numbersBeyondFloatRangeAreRejectedAsNotFinite() {
    assertEquals("o.csv:2:1: column 'a': expected a finite number within float range (about ±3.4e38),"
        + " found '1e39'", fails("o.csv", "a,label\n1e39,0\n").getMessage());
    assertEquals("o.csv:2:2: column 'label': expected a finite number, found '1e999'",
        fails("o.csv", "a,label\n1,1e999\n").getMessage());
  }

  @Test
  void nanLabelIsRejectedWithTheLabelColumn() {
    assertEquals("b.csv:2:2: column 'label': expected a finite number, found 'nan'",
        fails("b.csv", "a,label\n1,nan\n").getMessage());
  }

  @Test
  void unterminatedQuoteNamesTheCell() {
    assertEquals("q.csv:1:2: expected a closing quote for the quote at character 3, found the end of"
        + " the line", fails("q.csv", "a,\"b,label\n1,2,0\n").getMessage());
  }

  @Test
  void textAfterAClosingQuoteIsRejected() {
    assertEquals("q.csv:1:1: expected ',' after a quoted cell, found 'x' at character 4",
        fails("q.csv", "\"a\"x,label\n1,0\n").getMessage());
  }

  @Test
  void messagesAreOneLineEvenWhenTheCellIsOdd() {
    String m = fails("odd.csv", "a,label\n1\u000b,0\n").getMessage();
    assertFalse(m.contains("\n"));
    assertTrue(m.startsWith("odd.csv:2:1: column 'a': expected a number, found '"), m);
  }
}
