package org.dtrain.scale.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PredictionReductionTest {

  @Test
  void starSendsEverythingToTheCoordinator() {
    for (int w = 0; w < 5; w++) assertEquals(Reduction.COORDINATOR, Reduction.star().parentOf(w, 5));
    assertEquals(1, Reduction.star().depth(1000));
  }

  @Test
  void treeOfEightWithFanInTwo() {
    // [0,8) -> heads 0 and 4; 0 heads [1,4) -> 1 and 2; 2 heads [3,4) -> 3; likewise for 4
    int[] want = {-1, 0, 0, 2, -1, 4, 4, 6};
    for (int w = 0; w < 8; w++) assertEquals(want[w], Reduction.tree(2).parentOf(w, 8), "w" + w);
    assertEquals(3, Reduction.tree(2).depth(8));
  }

  @Test
  void theCoordinatorHasAtMostFChildrenAndDepthIsLogarithmic() {
    for (int f : new int[] {2, 3, 4, 8}) {
      for (int k : new int[] {1, 2, 5, 17, 64, 100, 1024}) {
        Reduction r = Reduction.tree(f);
        int[] children = new int[k + 1]; // index k: the coordinator
        for (int w = 0; w < k; w++) {
          int p = r.parentOf(w, k);
          assertTrue(p < w, "a parent comes before its children");
          children[p == Reduction.COORDINATOR ? k : p]++;
        }
        for (int c : children) assertTrue(c <= f, "F = " + f + ", K = " + k);
        int log = (int) Math.ceil(Math.log(k) / Math.log(f) - 1e-9);
        assertTrue(r.depth(k) <= Math.max(1, log), "depth " + r.depth(k) + " for K = " + k);
      }
    }
  }

  @Test
  void fanInBelowTwoIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Reduction.tree(1));
  }
}
