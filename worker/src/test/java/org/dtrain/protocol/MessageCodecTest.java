package org.dtrain.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import akka.actor.ActorSystem;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.Serializers;
import akka.testkit.javadsl.TestKit;
import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import com.typesafe.config.ConfigFactory;
import java.io.NotSerializableException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.dtrain.nn.Activation;
import org.dtrain.nn.LayerSpec;
import org.dtrain.nn.Loss;
import org.dtrain.nn.ModelSpec;
import org.dtrain.proto.LayerProto;
import org.dtrain.proto.ModelProto;
import org.dtrain.proto.cluster.FloatChunkProto;
import org.dtrain.proto.cluster.HeaderProto;
import org.dtrain.wire.ProtoConverter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

public class MessageCodecTest {
  private static final int ARTERY_FRAME = 256 * 1024;

  private static final ModelSpec SPEC = ModelSpec.of(new int[] {4, 5, 3},
      Activation.of(Activation.Kind.RELU), Activation.of(Activation.Kind.SOFTMAX),
      Loss.CROSS_ENTROPY);

  /** Bit patterns a float codec gets wrong most easily. */
  private static final int[] SPECIAL_BITS = {
    0x00000000, 0x80000000,             // +0, -0
    0x00000001, 0x80000001, 0x007fffff, // subnormals
    0x00800000,                         // smallest normal
    0x7f7fffff, 0xff7fffff,             // ±max
    0x7f800000, 0xff800000,             // ±inf
    0x7fc00000, 0xffc00000,             // quiet NaNs
    0x7fc12345, 0xffedcba9,             // quiet NaNs with payloads
    0x7f800001, 0x7fbfffff,             // signalling NaNs
    0x3f800000, 0xc0200000, 0x3eaaaaab, // 1, -2.5, 1/3
  };

  private static ActorSystem system;

  @BeforeAll
  static void start() {
    system = ActorSystem.create("codec-test", ConfigFactory.load());
  }

  @AfterAll
  static void stop() {
    TestKit.shutdownActorSystem(system);
    system = null;
  }

  static float[] special() {
    float[] v = new float[SPECIAL_BITS.length];
    for (int i = 0; i < v.length; i++) v[i] = Float.intBitsToFloat(SPECIAL_BITS[i]);
    return v;
  }

  /** A window in the middle of a bigger array, placed at an offset of a bigger total. */
  static FloatChunk window() {
    float[] v = special();
    float[] a = new float[v.length + 7];
    System.arraycopy(v, 0, a, 3, v.length);
    return new FloatChunk(a, 3, v.length, 1000, 5000);
  }

  /** At least one of every message type, with every field set to something other than its default. */
  public static List<Message> samples() {
    Header h = Header.of("job-2f1c", 12);
    ModelSpec leaky = new ModelSpec(List.of(
        new LayerSpec(3, 7, Activation.leakyRelu(0.2f)),
        new LayerSpec(7, 6, Activation.of(Activation.Kind.LEAKY_RELU)),
        new LayerSpec(6, 2, Activation.of(Activation.Kind.TANH)),
        new LayerSpec(2, 1, Activation.of(Activation.Kind.SIGMOID))), Loss.BINARY_CROSS_ENTROPY);
    return List.of(
        new RegisterWorker(Header.of("", 0), "worker-7 on host-ä", "0.1.0-SNAPSHOT", 64),
        new JobSpec(h, SPEC, -1234567890123L, 16, 9, true, 4, 3),
        new JobSpec(new Header(Protocol.VERSION, "j", Long.MAX_VALUE), leaky, Long.MIN_VALUE,
            Integer.MAX_VALUE, 1, false, 3, 1),
        new JobSpec(h, leaky, 7, 2, 3, false, 3, 1,
            new DataLinkOffer("node-ä.example", 65535, "0123456789abcdef0123456789abcdef")),
        new AssignShards(h, List.of(new ShardInfo(0, 10, "ab".repeat(32)),
            new ShardInfo(15, Integer.MAX_VALUE, ""))),
        new AssignShards(h, List.of()),
        new AssignShards(h, List.of(new ShardInfo(3, 7, "cd".repeat(32))),
            "data = \"iris-ä.csv\"\nseed = 5\nsynthetic-noise = -1\n", 150),
        new AssignShards(h, List.of(), "x = 1", Integer.MAX_VALUE),
        new ShardChunk(h, 3, ShardChunk.X, window()),
        new ShardChunk(h, Integer.MAX_VALUE, ShardChunk.Y, new FloatChunk(new float[0], 0, 0, 0, 0)),
        new ShardsLoaded(h, "w", List.of(0, 1, 2, Integer.MAX_VALUE)),
        new StartStep(h, 4, 2, List.of(4, 5, 6, 7), window()),
        new StartStep(h, 4, 2, List.of(4, 5), window(), new ReductionTarget("worker-ä 3",
            "akka://dtrain@10.0.0.7:25520/user/worker-3#-1234", List.of("w4", "w7"),
            List.of(6, 7, 8, Integer.MAX_VALUE))),
        new StartStep(h, 0, 0, List.of(), window(), new ReductionTarget("", "", List.of(),
            List.of())),
        new StartStep(new Header(Protocol.VERSION, "x", 0), Long.MAX_VALUE, Integer.MAX_VALUE,
            List.of(), new FloatChunk(special(), 0, SPECIAL_BITS.length, 0, SPECIAL_BITS.length)),
        new ShardGradients(h, "w", 4, 2, 33, -1.25e-3, 17L, 123456789L, 987L, window()),
        new ShardGradients(h, "w", Integer.MAX_VALUE, 30, Integer.MAX_VALUE,
            Double.longBitsToDouble(0x7ff8_0000_dead_beefL), Long.MIN_VALUE, Long.MAX_VALUE, -1L,
            new FloatChunk(new float[] {-0f}, 0, 1, 0, 1)),
        new StepFailed(h, "w", -1, "no shard: ünïcødé ✓"),
        new StepFailed(h, "w", Integer.MIN_VALUE, ""),
        new StatusRequest(h),
        new WorkerStatus(h, "w", "computing", List.of(1, 3), 42L),
        new EndJob(h, "finished"),
        new LinkHello(h, "w-127.0.0.1:4711", "fedcba9876543210fedcba9876543210"),
        new EndJob(new Header(7, "", 0), ""));
  }

  /** Field by field; float chunks by position and bits, doubles by bits. */
  public static void assertSameMessage(Object expected, Object actual) {
    assertEquals(expected.getClass(), actual.getClass());
    for (RecordComponent rc : expected.getClass().getRecordComponents()) {
      Object e;
      Object a;
      try {
        e = rc.getAccessor().invoke(expected);
        a = rc.getAccessor().invoke(actual);
      } catch (ReflectiveOperationException x) {
        throw new AssertionError(x);
      }
      String what = expected.getClass().getSimpleName() + "." + rc.getName();
      if (e instanceof FloatChunk ec) {
        FloatChunk ac = (FloatChunk) a;
        assertEquals(ec.offset(), ac.offset(), what + ".offset");
        assertEquals(ec.length(), ac.length(), what + ".length");
        assertEquals(ec.total(), ac.total(), what + ".total");
        for (int i = 0; i < ec.length(); i++) {
          assertEquals(Float.floatToRawIntBits(ec.get(i)), Float.floatToRawIntBits(ac.get(i)),
              what + "[" + i + "]");
        }
      } else if (e instanceof Double ed) {
        assertEquals(Double.doubleToRawLongBits(ed), Double.doubleToRawLongBits((Double) a), what);
      } else {
        assertEquals(e, a, what);
      }
    }
  }

  @Test
  void theSamplesCoverEveryMessageType() {
    Set<Class<?>> covered = new LinkedHashSet<>();
    for (Message m : samples()) covered.add(m.getClass());
    assertEquals(Set.of(Message.class.getPermittedSubclasses()), covered);
    Set<String> manifests = new LinkedHashSet<>();
    for (Message m : samples()) manifests.add(MessageCodec.manifest(m));
    assertEquals(covered.size(), manifests.size(), "one manifest per type: " + manifests);
  }

  @Test
  void everyMessageRoundTripsThroughTheCodec() {
    for (Message m : samples()) {
      byte[] bytes = MessageCodec.encode(m);
      Message back = MessageCodec.decode(bytes, MessageCodec.manifest(m));
      assertSameMessage(m, back);
      assertArrayEquals(bytes, MessageCodec.encode(back), "re-encoding " + m);
    }
  }

  @Test
  void akkaPicksTheProtobufSerializerForEveryMessage() throws Exception {
    Serialization ser = SerializationExtension.get(system);
    for (Message m : samples()) {
      Serializer s = ser.findSerializerFor(m);
      assertInstanceOf(ProtobufSerializer.class, s, "serializer for " + m.getClass());
      assertEquals(7411, s.identifier());
      byte[] bytes = ser.serialize(m).get();
      String manifest = Serializers.manifestFor(s, m);
      assertEquals(MessageCodec.manifest(m), manifest);
      Object back = ser.deserialize(bytes, s.identifier(), manifest).get();
      assertNotSame(m, back);
      assertSameMessage(m, back);
    }
    assertEquals(false, system.settings().config().getBoolean("akka.actor.allow-java-serialization"));
  }

  /** A stray Serializable class with no binding, as a careless change might add. */
  record Stray(String text) implements java.io.Serializable {}

  @Test
  void anUnboundMessageClassFailsToSerializeInsteadOfFallingBackToJava() {
    Serialization ser = SerializationExtension.get(system);
    scala.util.Try<byte[]> t = ser.serialize(new Stray("hello"));
    assertTrue(t.isFailure(), "a class without a binding must not serialize");
    String why = t.failed().get().getMessage();
    assertTrue(why.contains("Java serialization") || why.contains("java serialization"), why);
  }

  @Test
  void floatsAreLittleEndianOnTheWire() throws Exception {
    // -2.5f = 0xc0200000, 1.0f = 0x3f800000
    FloatChunk c = new FloatChunk(new float[] {-2.5f, 1f}, 0, 2, 0, 2);
    byte[] bytes = MessageCodec.encode(new ShardChunk(Header.of("j", 0), 0, ShardChunk.X, c));
    ByteString data = org.dtrain.proto.cluster.ShardChunk.parseFrom(bytes).getValues().getData();
    assertArrayEquals(new byte[] {0, 0, 0x20, (byte) 0xc0, 0, 0, (byte) 0x80, 0x3f},
        data.toByteArray());

    // and bytes written by hand read back as those floats
    byte[] hand = org.dtrain.proto.cluster.StartStep.newBuilder()
        .setHeader(HeaderProto.newBuilder().setProtocol(1).setJobId("j").setStep(1))
        .setWeights(FloatChunkProto.newBuilder().setOffset(1).setTotal(3)
            .setData(ByteString.copyFrom(new byte[] {0, 0, (byte) 0x80, 0x3f, 1, 0, 0, 0})))
        .build().toByteArray();
    StartStep s = (StartStep) MessageCodec.decode(hand, "S");
    assertEquals(1f, s.weights().get(0));
    assertEquals(1, Float.floatToRawIntBits(s.weights().get(1)), "the smallest subnormal");
    assertEquals(1, s.weights().offset());
    assertEquals(3, s.weights().total());
  }

  @Test
  void tenMillionWeightsTravelInFramesBelow256KiBAndReassembleBitForBit() throws Exception {
    int n = 10_000_000;
    float[] w = new float[n];
    Random r = new Random(1);
    for (int i = 0; i < n; i++) w[i] = Float.intBitsToFloat(r.nextInt()); // NaNs, subnormals too
    for (int i = 0; i < SPECIAL_BITS.length; i++) w[i * 499_999] = Float.intBitsToFloat(SPECIAL_BITS[i]);
    List<FloatChunk> chunks = FloatChunk.split(w);
    assertEquals((n + FloatChunk.MAX_FLOATS - 1) / FloatChunk.MAX_FLOATS, chunks.size());

    ProtobufSerializer ser = new ProtobufSerializer();
    // fields as long as they will realistically get, varints at their widest
    Header h = new Header(Protocol.VERSION, "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
        Long.MAX_VALUE);
    List<Integer> shards = new ArrayList<>();
    for (int s = 0; s < 64; s++) shards.add(Integer.MAX_VALUE - s);
    float[] fromStart = new float[n];
    float[] fromGrad = new float[n];
    int largest = 0;
    for (FloatChunk c : chunks) {
      StartStep s = new StartStep(h, Long.MAX_VALUE, Integer.MAX_VALUE, shards, c);
      ShardGradients g = new ShardGradients(h, "worker-" + "x".repeat(64), Integer.MAX_VALUE, 30,
          Integer.MAX_VALUE, -Double.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, c);
      byte[] sb = ser.toBinary(s);
      byte[] gb = ser.toBinary(g);
      assertTrue(sb.length < ARTERY_FRAME, "StartStep of " + sb.length + " bytes");
      assertTrue(gb.length < ARTERY_FRAME, "ShardGradients of " + gb.length + " bytes");
      largest = Math.max(largest, Math.max(sb.length, gb.length));
      ((StartStep) ser.fromBinary(sb, ser.manifest(s))).weights().copyTo(fromStart);
      ((ShardGradients) ser.fromBinary(gb, ser.manifest(g))).gradient().copyTo(fromGrad);
    }
    // room left for Artery's envelope (recipient and sender paths, manifest)
    assertTrue(largest < ARTERY_FRAME - 32 * 1024, "largest message " + largest + " bytes");
    for (int i = 0; i < n; i++) {
      int b = Float.floatToRawIntBits(w[i]);
      if (b != Float.floatToRawIntBits(fromStart[i]) || b != Float.floatToRawIntBits(fromGrad[i])) {
        fail("value " + i + ": sent " + Integer.toHexString(b) + ", got "
            + Integer.toHexString(Float.floatToRawIntBits(fromStart[i])) + " / "
            + Integer.toHexString(Float.floatToRawIntBits(fromGrad[i])));
      }
    }
  }

  // ---- refusing bad frames ----------------------------------------------------------------------

  private static HeaderProto.Builder header() {
    return HeaderProto.newBuilder().setProtocol(Protocol.VERSION).setJobId("j").setStep(3);
  }

  private static FloatChunkProto.Builder floats(int offset, int total, int bytes) {
    return FloatChunkProto.newBuilder().setOffset(offset).setTotal(total)
        .setData(ByteString.copyFrom(new byte[bytes]));
  }

  private static org.dtrain.proto.cluster.JobSpec.Builder jobSpec() {
    return org.dtrain.proto.cluster.JobSpec.newBuilder().setHeader(header())
        .setModel(ProtoConverter.specToProto(SPEC)).setSeed(1).setShards(4).setStepsPerEpoch(2)
        .setFeatures(4).setOutputs(3);
  }

  private static ModelProto.Builder model() {
    return ProtoConverter.specToProto(SPEC).toBuilder();
  }

  private static org.dtrain.proto.cluster.StartStep.Builder startStep() {
    return org.dtrain.proto.cluster.StartStep.newBuilder().setHeader(header()).setEpoch(1)
        .setStepInEpoch(0).addShards(2).setWeights(floats(0, 4, 16));
  }

  private static org.dtrain.proto.cluster.ShardGradients.Builder gradients() {
    return org.dtrain.proto.cluster.ShardGradients.newBuilder().setHeader(header())
        .setWorkerId("w").setFirst(4).setLevel(2).setSamples(3).setGradient(floats(0, 4, 16));
  }

  private static org.dtrain.proto.cluster.ShardChunk.Builder shardChunk() {
    return org.dtrain.proto.cluster.ShardChunk.newBuilder().setHeader(header()).setShard(1)
        .setPart(1).setValues(floats(0, 4, 16));
  }

  private static Arguments bad(String manifest, MessageLite.Builder m, String field) {
    return Arguments.of(manifest, m.build().toByteArray(), field);
  }

  private static Arguments bad(String manifest, byte[] bytes, String field) {
    return Arguments.of(manifest, bytes, field);
  }

  private static byte[] cut(byte[] b, int n) {
    return java.util.Arrays.copyOf(b, b.length - n);
  }

  static Stream<Arguments> badFrames() {
    byte[] valid = startStep().build().toByteArray();
    List<Arguments> out = new ArrayList<>(List.of(
        // garbage and truncation: the message type is named
        bad("S", new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}, "S"),
        bad("G", new byte[] {0x0a, 0x7f, 0x01}, "G"),
        bad("S", cut(valid, 5), "S"),
        bad("J", cut(jobSpec().build().toByteArray(), 1), "J"), // inside the last varint
        bad("E", new byte[] {0x12, 0x02, (byte) 0xc3, 0x28}, "E"), // reason: invalid UTF-8
        // float chunks
        bad("S", startStep().setWeights(floats(0, 4, 15)), "weights.data"),
        bad("G", gradients().setGradient(floats(0, 4, 6)), "gradient.data"),
        bad("C", shardChunk().setValues(floats(0, 4, 1)), "values.data"),
        bad("S", startStep().setWeights(floats(1, 4, 16)), "weights"),
        bad("G", gradients().setGradient(floats(3, 4, 8)), "gradient"),
        bad("C", shardChunk().setValues(floats(0, 0, 4)), "values"),
        bad("S", startStep().setWeights(floats(-1, -1, 4)), "weights"),        // 2^32 - 1
        bad("S", startStep().setWeights(floats(-4, 4, 16)), "weights"),        // offset 2^32 - 4
        bad("S", startStep().setWeights(floats(0, (1 << 28) + 1, 4)), "weights"),
        // ranges of the other fields
        bad("S", startStep().setHeader(header().setStep(-1)), "header.step"),
        bad("S", startStep().setEpoch(-1), "epoch"),
        bad("S", startStep().setStepInEpoch(-1), "step_in_epoch"),
        bad("S", startStep().addShards(-7), "shards"),
        bad("G", gradients().setLevel(31), "level"),
        bad("G", gradients().setLevel(-1), "level"),
        bad("G", gradients().setFirst(-1), "first"),
        bad("G", gradients().setSamples(-1), "samples"),
        bad("S", startStep().setReduction(org.dtrain.proto.cluster.ReductionTarget.newBuilder()
            .setParentId("p").addAwaited(3).addAwaited(-1)), "reduction.awaited"),
        bad("C", shardChunk().setPart(2), "part"),
        bad("C", shardChunk().setShard(-1), "shard"),
        bad("L", org.dtrain.proto.cluster.ShardsLoaded.newBuilder().setHeader(header())
            .addShards(1).addShards(-2), "shards"),
        bad("W", org.dtrain.proto.cluster.WorkerStatus.newBuilder().setHeader(header())
            .addShards(-2), "shards"),
        bad("A", org.dtrain.proto.cluster.AssignShards.newBuilder().setHeader(header())
            .addShards(org.dtrain.proto.cluster.ShardInfo.newBuilder().setShard(1).setRows(0)),
            "rows"),
        bad("A", org.dtrain.proto.cluster.AssignShards.newBuilder().setHeader(header())
            .addShards(org.dtrain.proto.cluster.ShardInfo.newBuilder().setShard(-1).setRows(2)),
            "shard"),
        bad("A", org.dtrain.proto.cluster.AssignShards.newBuilder().setHeader(header())
            .setDataConfig("data = iris.csv"), "train_rows"),
        bad("A", org.dtrain.proto.cluster.AssignShards.newBuilder().setHeader(header())
            .setDataConfig("data = iris.csv").setTrainRows(-1), "train_rows"),
        bad("Q", org.dtrain.proto.cluster.StatusRequest.newBuilder()
            .setHeader(header().setStep(Long.MIN_VALUE)), "header.step"),
        // job specs
        bad("J", jobSpec().setShards(0), "shards"),
        bad("J", jobSpec().setStepsPerEpoch(0), "steps_per_epoch"),
        bad("J", jobSpec().setFeatures(5), "features"),
        bad("J", jobSpec().setOutputs(2), "features/outputs"),
        bad("J", jobSpec().setModel(ModelProto.newBuilder().setLoss("mse")), "layers"),
        bad("J", jobSpec().setModel(model().setLoss("hinge")), "loss"),
        bad("J", jobSpec().setModel(model().setLayers(0,
            model().getLayers(0).toBuilder().setActivation("swish"))), "activation"),
        bad("J", jobSpec().setModel(model().setLayers(0,
            model().getLayers(0).toBuilder().setActivation("leaky_relu").setAlpha(Float.NaN))),
            "leaky_relu"),
        bad("J", jobSpec().setModel(model().setLayers(1,
            model().getLayers(1).toBuilder().setIn(6))), "layer 1"),
        bad("J", jobSpec().setModel(model().setLayers(0,
            LayerProto.newBuilder().setIn(-4).setOut(5).setActivation("relu"))), "layer sizes"),
        bad("J", jobSpec().setFeatures(65536).setOutputs(65536).setModel(ModelProto.newBuilder()
            .setLoss("mse").addLayers(LayerProto.newBuilder().setIn(65536).setOut(65536)
                .setActivation("identity"))), "parameters"), // 2^32 + 2^16 of them
        // unknown type
        bad("Z", valid, "manifest"),
        bad("", valid, "manifest")));
    return out.stream();
  }

  @ParameterizedTest(name = "[{index}] {0}: {2}")
  @MethodSource("badFrames")
  void aBadFrameIsRefusedNamingTheField(String manifest, byte[] bytes, String field) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MessageCodec.decode(bytes, manifest));
    assertTrue(e.getMessage().contains(field), "'" + e.getMessage() + "' should name " + field);
    NotSerializableException n = assertThrows(NotSerializableException.class,
        () -> new ProtobufSerializer().fromBinary(bytes, manifest));
    assertTrue(n.getMessage().contains(field), "'" + n.getMessage() + "' should name " + field);
  }

  @Test
  void aBadFrameIsRefusedThroughAkkaToo() {
    Serialization ser = SerializationExtension.get(system);
    byte[] bytes = startStep().setWeights(floats(0, 4, 15)).build().toByteArray();
    var result = ser.deserialize(bytes, ProtobufSerializer.ID, "S");
    assertTrue(result.isFailure());
    assertInstanceOf(NotSerializableException.class, result.failed().get());
  }

  @Test
  void theSerializerRefusesObjectsThatAreNoMessages() {
    ProtobufSerializer ser = new ProtobufSerializer();
    assertThrows(IllegalArgumentException.class, () -> ser.toBinary("hello"));
    assertThrows(IllegalArgumentException.class, () -> ser.manifest(42));
  }

  /**
   * Bit flips, truncations, insertions and wrong manifests of valid frames: every one decodes or is
   * refused with the documented exception, and whatever decodes encodes again to a frame that decodes
   * to the same message.
   */
  @Test
  void mutatedFramesDecodeOrAreRefusedNeverAnythingElse() {
    List<Message> samples = new ArrayList<>(samples());
    // smaller chunks so flips land in headers and lengths as often as in float data
    samples.removeIf(m -> m instanceof StartStep || m instanceof ShardGradients
        || m instanceof ShardChunk);
    float[] few = {1f, -0f, Float.NaN};
    Header h = Header.of("job", 5);
    samples.add(new StartStep(h, 2, 1, List.of(0, 3), new FloatChunk(few, 0, 3, 9, 12)));
    samples.add(new ShardGradients(h, "w", 4, 2, 6, 0.5, 3, 10, 20, new FloatChunk(few, 1, 2, 0, 2)));
    samples.add(new ShardChunk(h, 2, ShardChunk.Y, new FloatChunk(few, 0, 3, 3, 6)));
    String[] manifests = {"R", "J", "A", "C", "L", "S", "G", "F", "Q", "W", "E", "H", "?"};
    byte[][] frames = new byte[samples.size()][];
    for (int i = 0; i < frames.length; i++) frames[i] = MessageCodec.encode(samples.get(i));
    ProtobufSerializer ser = new ProtobufSerializer();

    Random r = new Random(20240611);
    int decoded = 0;
    int refused = 0;
    for (int round = 0; round < 20_000; round++) {
      int k = r.nextInt(frames.length);
      byte[] f = frames[k].clone();
      String manifest = MessageCodec.manifest(samples.get(k));
      switch (r.nextInt(5)) {
        case 0, 1 -> { // flip 1..3 bits
          for (int b = 1 + r.nextInt(3); b > 0 && f.length > 0; b--) {
            int i = r.nextInt(f.length * 8);
            f[i / 8] ^= (byte) (1 << (i % 8));
          }
        }
        case 2 -> f = java.util.Arrays.copyOf(f, f.length == 0 ? 0 : r.nextInt(f.length));
        case 3 -> { // overwrite a byte with anything
          if (f.length > 0) f[r.nextInt(f.length)] = (byte) r.nextInt(256);
        }
        default -> manifest = manifests[r.nextInt(manifests.length)]; // valid bytes, other type
      }
      Message m;
      try {
        m = MessageCodec.decode(f, manifest);
      } catch (IllegalArgumentException e) {
        refused++;
        if (round % 4 == 0) { // the serializer wraps the same refusal
          final byte[] frame = f;
          final String man = manifest;
          assertThrows(NotSerializableException.class, () -> ser.fromBinary(frame, man));
        }
        continue;
      } catch (RuntimeException e) {
        throw new AssertionError("round " + round + ", manifest " + manifest + ", frame "
            + HexFormat.of().formatHex(f) + ": " + e, e);
      }
      decoded++;
      assertEquals(manifest, MessageCodec.manifest(m));
      byte[] again = MessageCodec.encode(m);
      assertSameMessage(m, MessageCodec.decode(again, manifest));
    }
    assertTrue(decoded > 1000 && refused > 1000, decoded + " decoded, " + refused + " refused");
  }

  /** One mutation of a valid frame, of the kinds a broken or hostile peer sends. */
  private static byte[] mutate(byte[] valid, Random r) {
    byte[] f = valid.clone();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    switch (r.nextInt(8)) {
      case 0, 1 -> { // flip 1..3 bits
        for (int b = 1 + r.nextInt(3); b > 0 && f.length > 0; b--) {
          int i = r.nextInt(f.length * 8);
          f[i / 8] ^= (byte) (1 << (i % 8));
        }
        return f;
      }
      case 2 -> { // truncated
        return java.util.Arrays.copyOf(f, f.length == 0 ? 0 : r.nextInt(f.length));
      }
      case 3 -> { // a byte overwritten with anything
        if (f.length > 0) f[r.nextInt(f.length)] = (byte) r.nextInt(256);
        return f;
      }
      case 4 -> { // a length (or any varint) that lies: a huge varint spliced in anywhere
        int at = f.length == 0 ? 0 : r.nextInt(f.length);
        out.write(f, 0, at);
        out.writeBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07});
        out.write(f, at, f.length - at);
        return out.toByteArray();
      }
      case 5 -> { // a length-delimited field claiming up to 2 GiB, followed by a few bytes
        out.writeBytes(f);
        out.write(((1 + r.nextInt(12)) << 3) | 2);
        int len = r.nextBoolean() ? Integer.MAX_VALUE : r.nextInt(1 << 20);
        for (; (len & ~0x7f) != 0; len >>>= 7) out.write((len & 0x7f) | 0x80);
        out.write(len);
        out.write(1);
        return out.toByteArray();
      }
      case 6 -> { // a huge repeated count: one varint field entry many times over
        out.writeBytes(f);
        int tag = ((1 + r.nextInt(12)) << 3);
        int n = r.nextInt(50) == 0 ? 20_000 + r.nextInt(20_000) : r.nextInt(200);
        for (int i = 0; i < n; i++) {
          out.write(tag);
          out.write(r.nextInt(128));
        }
        return out.toByteArray();
      }
      default -> { // the frame twice: protobuf merges, repeated fields double
        out.writeBytes(f);
        out.writeBytes(f);
        return out.toByteArray();
      }
    }
  }

  /**
   * Every decoding path the serializer uses (one per manifest) takes 100,000 mutations of its own
   * valid messages: each decodes to a message of its type or is refused with the documented
   * IllegalArgumentException; nothing else comes out (no other exception, no out-of-memory), and
   * the whole run is bounded in time.
   */
  @Test
  void everyDecodingPathTakes100000MutatedMessagesAndOnlyEverRefusesThem() {
    java.util.Map<String, List<byte[]>> frames = new java.util.TreeMap<>();
    List<Message> all = new ArrayList<>(samples());
    all.removeIf(m -> MessageCodec.tensor(m) != null && MessageCodec.tensor(m).length() > 16);
    float[] few = {1f, -0f, Float.NaN};
    Header h = Header.of("job", 5);
    all.add(new StartStep(h, 2, 1, List.of(0, 3), new FloatChunk(few, 0, 3, 9, 12)));
    all.add(new ShardGradients(h, "w", 4, 2, 6, 0.5, 3, 10, 20, new FloatChunk(few, 1, 2, 0, 2)));
    all.add(new ShardChunk(h, 2, ShardChunk.Y, new FloatChunk(few, 0, 3, 3, 6)));
    for (Message m : all) {
      frames.computeIfAbsent(MessageCodec.manifest(m), k -> new ArrayList<>())
          .add(MessageCodec.encode(m));
    }
    assertEquals(Message.class.getPermittedSubclasses().length, frames.size());
    Random r = new Random(20261122);
    long started = System.nanoTime();
    StringBuilder tally = new StringBuilder();
    for (java.util.Map.Entry<String, List<byte[]>> e : frames.entrySet()) {
      String manifest = e.getKey();
      int decoded = 0;
      int refused = 0;
      for (int round = 0; round < 100_000; round++) {
        byte[] f = mutate(e.getValue().get(r.nextInt(e.getValue().size())), r);
        try {
          Message m = MessageCodec.decode(f, manifest);
          assertEquals(manifest, MessageCodec.manifest(m));
          decoded++;
        } catch (IllegalArgumentException refusal) {
          refused++;
        } catch (RuntimeException | Error other) {
          throw new AssertionError("manifest " + manifest + ", round " + round + ", frame "
              + HexFormat.of().formatHex(java.util.Arrays.copyOf(f, Math.min(f.length, 200)))
              + ": " + other, other);
        }
      }
      assertTrue(refused > 1000, manifest + ": " + refused + " refused");
      tally.append(manifest).append(' ').append(decoded).append('/').append(refused).append(' ');
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    System.out.println("mutated messages decoded/refused per manifest: " + tally + "in " + seconds
        + " s");
    assertTrue(seconds < 120, "bounded: " + seconds + " s; decoded/refused " + tally);
  }
}
