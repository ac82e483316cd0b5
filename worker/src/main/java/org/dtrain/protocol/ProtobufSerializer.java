package org.dtrain.protocol;

import akka.serialization.SerializerWithStringManifest;
import java.io.NotSerializableException;

/**
 * The one Akka serializer for dtrain's messages, bound to {@link Message} in {@code dtrain-akka.conf}.
 * A frame that does not decode is refused with {@link NotSerializableException} (Akka drops and logs
 * it); it never reaches an actor.
 */
public final class ProtobufSerializer extends SerializerWithStringManifest {
  /** Akka reserves 0 to 40. */
  public static final int ID = 7411;

  @Override
  public int identifier() {
    return ID;
  }

  @Override
  public String manifest(Object o) {
    return MessageCodec.manifest(message(o));
  }

  @Override
  public byte[] toBinary(Object o) {
    return MessageCodec.encode(message(o));
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    try {
      return MessageCodec.decode(bytes, manifest);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new NotSerializableException("dtrain message " + manifest + ": " + e.getMessage());
    }
  }

  private static Message message(Object o) {
    if (o instanceof Message m) return m;
    throw new IllegalArgumentException("not a dtrain message: " + o.getClass().getName());
  }
}
