package org.dtrain.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.FloatBuffer;
import org.dtrain.protocol.FloatChunk;
import org.junit.jupiter.api.Test;

/** WireBuffers: lent memory that frames carry as it is, freed when the lender and frames let go. */
class WireBuffersTest {
  private final WireBuffers wire = new WireBuffers(UnpooledByteBufAllocator.DEFAULT);

  @Test
  void aPayloadIsTheLentMemoryAsLittleEndianFloatsWithAHoldOfItsOwn() {
    FloatBuffer f = wire.lend(5);
    assertEquals(5, f.capacity());
    assertTrue(f.isDirect());
    for (int i = 0; i < 5; i++) f.put(i, i + 0.5f);
    ByteBuf p = wire.payload(new FloatChunk(f, 1, 3, 1, 5)); // values 1..3
    assertEquals(12, p.readableBytes());
    assertEquals(1.5f, p.getFloatLE(0));
    assertEquals(3.5f, p.getFloatLE(8));
    wire.releaseAll();
    assertFalse(wire.isLent(f));
    assertEquals(1, p.refCnt(), "the frame's hold outlives the lender's");
    assertEquals(2.5f, p.getFloatLE(4));
    p.release();
    assertEquals(0, p.refCnt());
  }

  @Test
  void otherBuffersAndReleasedOnesHaveNoPayload() {
    FloatBuffer heap = FloatBuffer.wrap(new float[4]);
    assertNull(wire.payload(new FloatChunk(heap, 0, 4, 0, 4)));
    FloatBuffer f = wire.lend(4);
    wire.releaseAll();
    wire.releaseAll(); // twice: nothing is released twice
    assertNull(wire.payload(new FloatChunk(f, 0, 4, 0, 4)), "released: no longer sent from");
    assertEquals(0, wire.lentCount());
  }

  @Test
  void releaseAllLetsGoOfEverythingLent() {
    wire.lend(3);
    wire.lend(7);
    assertEquals(2, wire.lentCount());
    wire.releaseAll();
    assertEquals(0, wire.lentCount());
  }
}
