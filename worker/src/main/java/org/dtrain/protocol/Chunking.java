package org.dtrain.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a message's tensor into pieces a transport can carry: at most {@link FloatChunk#MAX_FLOATS}
 * over Artery (below its 256 KiB frame), at most {@link #LINK_MAX_FLOATS} over a data link. The
 * pieces share the message's buffer (no copy) and repeat everything else, so the receiver assembles
 * them by offset in any order. The coordinator and the workers make whole tensors; only the sending
 * side of a transport cuts.
 */
public final class Chunking {
  /** A data-link frame carries at most 8 Mi floats (32 MiB). */
  public static final int LINK_MAX_FLOATS = 8 << 20;

  private Chunking() {}

  /** The message itself when its tensor fits, else one message per piece of at most maxFloats. */
  public static List<Message> split(Message m, int maxFloats) {
    FloatChunk t = MessageCodec.tensor(m);
    if (t == null || t.length() <= maxFloats) return List.of(m);
    List<Message> out = new ArrayList<>();
    for (FloatChunk piece : t.pieces(maxFloats)) out.add(with(m, piece));
    return out;
  }

  private static Message with(Message m, FloatChunk c) {
    if (m instanceof StartStep x) {
      return x.withWeights(c);
    }
    if (m instanceof ShardGradients x) {
      return new ShardGradients(x.header(), x.workerId(), x.first(), x.level(), x.samples(),
          x.lossSum(), x.correct(), x.computeNanos(), x.receiveNanos(), c);
    }
    if (m instanceof ShardChunk x) return new ShardChunk(x.header(), x.shard(), x.part(), c);
    throw new IllegalArgumentException("no tensor in " + m.getClass().getSimpleName());
  }
}
