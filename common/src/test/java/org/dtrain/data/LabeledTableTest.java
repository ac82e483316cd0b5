package org.dtrain.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LabeledTableTest {
  /** One feature, labels as given, rows on CSV lines 2, 3, ... with the label in column 2. */
  static LabeledTable csvLike(String source, double... labels) {
    int[] lines = new int[labels.length];
    for (int i = 0; i < lines.length; i++) {
      lines[i] = i + 2;
    }
    return new LabeledTable(source, new String[] {"a"}, "label", new float[labels.length], labels,
        lines, 2);
  }

  @Test
  void numClassesIsMaxLabelPlusOne() {
    assertEquals(5, csvLike("t.csv", 0, 4, 2).inferNumClasses());
  }

  @Test
  void nonIntegerLabelNamesFileLineAndColumn() {
    DataException e = assertThrows(DataException.class,
        () -> csvLike("t.csv", 0, 1, 2.5).inferNumClasses());
    assertEquals("t.csv:4:2: label: expected an integer class id >= 0, found 2.5", e.getMessage());
  }

  @Test
  void negativeLabelNamesFileLineAndColumn() {
    DataException e = assertThrows(DataException.class,
        () -> csvLike("t.csv", -1, 1).inferNumClasses());
    assertEquals("t.csv:2:2: label: expected an integer class id >= 0, found -1", e.getMessage());
  }

  @Test
  void recordsWithoutColumnsAreNamedByRecordIndex() {
    LabeledTable t = new LabeledTable("x-images-idx3-ubyte", new String[] {"px0"}, "label",
        new float[2], new double[] {1, 0.5}, new int[] {1, 2}, 0);
    DataException e = assertThrows(DataException.class, t::inferNumClasses);
    assertEquals("x-images-idx3-ubyte: record 2: label: expected an integer class id >= 0, found 0.5",
        e.getMessage());
  }

  @Test
  void binaryMeansEveryLabelIsZeroOrOne() {
    assertTrue(csvLike("t.csv", 0, 1, 1).labelsAreBinary());
    assertFalse(csvLike("t.csv", 0, 1, 2).labelsAreBinary());
    assertFalse(csvLike("t.csv", 0, 0.5).labelsAreBinary());
  }

  @Test
  void inconsistentShapesAreProgrammingErrors() {
    assertThrows(IllegalArgumentException.class, () -> new LabeledTable("t", new String[] {"a", "b"},
        "label", new float[3], new double[2], new int[2], 0));
  }
}
