package org.dtrain.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SeedsTest {

  private static long[] head(SplittableRandom r) {
    long[] out = new long[8];
    for (int i = 0; i < out.length; i++) out[i] = r.nextLong();
    return out;
  }

  @Test
  void sameSeedPurposeAndKeysGiveTheSameStream() {
    assertArrayEquals(head(Seeds.stream(42, Seeds.SAMPLE, 3, 7)), head(Seeds.stream(42, Seeds.SAMPLE, 3, 7)));
    assertArrayEquals(head(Seeds.stream(0, Seeds.INIT)), head(Seeds.stream(0, Seeds.INIT)));
  }

  @Test
  void changingAnyPartOfTheKeyGivesADifferentStream() {
    long[] base = head(Seeds.stream(42, Seeds.SAMPLE, 3, 7));
    long[][] others = {
        head(Seeds.stream(43, Seeds.SAMPLE, 3, 7)),  // seed
        head(Seeds.stream(42, Seeds.DATA, 3, 7)),    // purpose
        head(Seeds.stream(42, Seeds.SAMPLE, 4, 7)),  // first key
        head(Seeds.stream(42, Seeds.SAMPLE, 3, 8)),  // second key
        head(Seeds.stream(42, Seeds.SAMPLE, 7, 3)),  // key order
        head(Seeds.stream(42, Seeds.SAMPLE, 3)),     // fewer keys
        head(Seeds.stream(42, Seeds.SAMPLE, 3, 7, 0)), // more keys
    };
    for (long[] o : others) assertFalse(Arrays.equals(base, o), Arrays.toString(o));
  }

  @Test
  void streamsOfAGridOfKeysAreAllDistinct() {
    // Every (purpose, shard, epoch) for a few seeds: 2 × 4 × 200 × 50 = 80,000 streams, all with
    // distinct first values (a 64-bit collision among them has probability ~2e-10).
    Set<Long> firsts = new HashSet<>();
    int count = 0;
    for (long seed : new long[] {0, 1}) {
      for (long purpose : new long[] {Seeds.INIT, Seeds.SPLIT, Seeds.SAMPLE, Seeds.DATA}) {
        for (long shard = 0; shard < 200; shard++) {
          for (long epoch = 0; epoch < 50; epoch++) {
            firsts.add(Seeds.stream(seed, purpose, shard, epoch).nextLong());
            count++;
          }
        }
      }
    }
    assertEquals(count, firsts.size());
  }

  @Test
  void aStreamDoesNotChangeBetweenVersions() {
    // Change detector: the value was recorded from this implementation. Streams are keyed so that
    // the same job seed reproduces a run; if this fails, old runs no longer reproduce.
    assertEquals(1124136887450021189L, Seeds.stream(42, Seeds.SAMPLE, 3, 7).nextLong());
  }

  @Test
  void purposesAreFixedNumbers() {
    // Renaming must never change a stream: the purpose constants are part of the format.
    assertEquals(1, Seeds.INIT);
    assertEquals(2, Seeds.SPLIT);
    assertEquals(3, Seeds.SAMPLE);
    assertEquals(4, Seeds.DATA);
  }
}
