package org.dtrain.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NetworkModelTest {
  private static final long US = 1_000;

  @Test
  void oneMessageTakesLatencyPlusSizeOverBandwidth() {
    NetworkModel net = new NetworkModel(200 * US, 1e9); // 200 us, 1 GB/s: 1 byte per ns
    assertEquals(1_000 + 200 * US + 4_000, net.send("c", "w0", 4_000, 1_000));
  }

  @Test
  void copiesFromOneSenderLeaveOneAfterAnotherOnItsUplink() {
    NetworkModel net = new NetworkModel(10 * US, 1e9);
    long x = 1_000_000; // 1 MB: 1 ms on the wire
    for (int w = 0; w < 4; w++) {
      assertEquals((w + 1) * x + 10 * US, net.send("c", "w" + w, x, 0), "copy " + w);
    }
  }

  @Test
  void partialsToOneReceiverQueueOnItsDownlink() {
    NetworkModel net = new NetworkModel(10 * US, 1e9);
    long x = 1_000_000;
    assertEquals(10 * US + x, net.send("w0", "c", x, 0));
    assertEquals(10 * US + 2 * x, net.send("w1", "c", x, 0));
    assertEquals(10 * US + 3 * x, net.send("w2", "c", x, 0));
  }

  @Test
  void fullDuplexSendingDoesNotDelayReceiving() {
    NetworkModel net = new NetworkModel(0, 1e9);
    assertEquals(1_000, net.send("c", "w0", 1_000, 0));
    assertEquals(1_000, net.send("w1", "c", 1_000, 0));
  }

  @Test
  void aLateMessageFindsTheLinksFreeAndResetForgetsBookings() {
    NetworkModel net = new NetworkModel(5, 1e9);
    net.send("a", "b", 100, 0);
    assertEquals(1_000 + 5 + 100, net.send("a", "b", 100, 1_000));
    net.send("a", "b", 1_000_000, 0);
    net.reset();
    assertEquals(5 + 100, net.send("a", "b", 100, 0));
  }

  @Test
  void noBandwidthLimitCostsOnlyLatency() {
    NetworkModel net = new NetworkModel(7, Double.POSITIVE_INFINITY);
    assertEquals(7, net.send("a", "b", 1L << 40, 0));
    assertEquals(0, net.transmitNanos(1L << 40));
  }

  @Test
  void rejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> new NetworkModel(-1, 1e9));
    assertThrows(IllegalArgumentException.class, () -> new NetworkModel(0, 0));
  }
}
