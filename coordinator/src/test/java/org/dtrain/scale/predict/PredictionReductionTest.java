package org.dtrain.scale.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.dtrain.coordinator.ReductionTree;
import org.junit.jupiter.api.Test;

class PredictionReductionTest {

  private static List<String> workers(int k) {
    List<String> ids = new ArrayList<>();
    for (int w = 0; w < k; w++) ids.add("w" + w);
    return ids;
  }

  @Test
  void starSendsEverythingToTheCoordinator() {
    for (int w = 0; w < 5; w++) assertEquals(Reduction.COORDINATOR, Reduction.star().parentOf(w, 5));
    assertEquals(1, Reduction.star().depth(1000));
  }

  @Test
  void treeOfEightWithFanInTwo() {
    // ReductionTree: w0 is the root; [1,8) -> runs [1,4) and [4,8), heads 1 and 4; 1 heads [2,4)
    // -> 2 and 3; 4 heads [5,8) -> [5,6) and [6,8), heads 5 and 6; 6 heads 7. w0 -> coordinator.
    int[] want = {-1, 0, 1, 1, 0, 4, 4, 6};
    for (int w = 0; w < 8; w++) assertEquals(want[w], Reduction.tree(2).parentOf(w, 8), "w" + w);
    assertArrayEquals(want, Reduction.tree(2).parents(8));
    // w7 -> w6 -> w4 -> w0 -> coordinator
    assertEquals(4, Reduction.tree(2).depth(8));
  }

  @Test
  void treeParentsAreThoseOfTheRealReductionTree() {
    for (int f = 2; f <= 4; f++) {
      for (int k = 1; k <= 40; k++) {
        ReductionTree real = ReductionTree.of(workers(k), f);
        Reduction r = Reduction.tree(f);
        int[] all = r.parents(k);
        for (int w = 0; w < k; w++) {
          String p = real.parent("w" + w);
          int want = p == null ? Reduction.COORDINATOR : Integer.parseInt(p.substring(1));
          assertEquals(want, r.parentOf(w, k), "F = " + f + ", K = " + k + ", w" + w);
          assertEquals(want, all[w], "F = " + f + ", K = " + k + ", w" + w);
        }
        assertEquals(1 + real.depth(), r.depth(k), "F = " + f + ", K = " + k);
      }
    }
  }

  @Test
  void onlyWorkerZeroSendsToTheCoordinatorAndDepthIsLogarithmic() {
    for (int f : new int[] {2, 3, 4, 8}) {
      for (int k : new int[] {1, 2, 5, 17, 64, 100, 1024}) {
        Reduction r = Reduction.tree(f);
        int[] children = new int[k];
        int toCoordinator = 0;
        for (int w = 0; w < k; w++) {
          int p = r.parentOf(w, k);
          if (p == Reduction.COORDINATOR) {
            assertEquals(0, w, "only the root w0 sends to the coordinator");
            toCoordinator++;
          } else {
            assertTrue(p < w, "a parent comes before its children");
            children[p]++;
          }
        }
        assertEquals(1, toCoordinator);
        for (int c : children) assertTrue(c <= f, "F = " + f + ", K = " + k);
        int log = (int) Math.ceil(Math.log(k) / Math.log(f) - 1e-9);
        assertTrue(r.depth(k) <= 1 + log, "depth " + r.depth(k) + " for K = " + k + ", F = " + f);
      }
    }
  }

  @Test
  void parentsIsACopy() {
    int[] a = Reduction.tree(2).parents(8);
    a[3] = 99;
    assertEquals(1, Reduction.tree(2).parentOf(3, 8));
  }

  @Test
  void fanInBelowTwoIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Reduction.tree(1));
  }
}
