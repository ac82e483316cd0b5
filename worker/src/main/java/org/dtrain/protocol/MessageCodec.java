package org.dtrain.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.dtrain.nn.ModelSpec;
import org.dtrain.proto.cluster.FloatChunkProto;
import org.dtrain.proto.cluster.HeaderProto;
import org.dtrain.wire.ProtoConverter;

/**
 * Messages to their protobuf bytes and back (the form of {@code proto/cluster.proto}). Decoding checks
 * every length and shape and throws {@link IllegalArgumentException} naming the field, so a corrupt or
 * hostile frame is refused, never half applied.
 */
public final class MessageCodec {
  /**
   * No flat array on the wire is longer than this (2^28 floats = 1 GiB): a job whose model has
   * more parameters is refused when it is configured ({@code --layers}).
   */
  public static final int MAX_TOTAL = 1 << 28;

  private MessageCodec() {}

  /** The manifest naming a message's type on the wire. */
  public static String manifest(Message m) {
    if (m instanceof RegisterWorker) return "R";
    if (m instanceof JobSpec) return "J";
    if (m instanceof AssignShards) return "A";
    if (m instanceof ShardChunk) return "C";
    if (m instanceof ShardsLoaded) return "L";
    if (m instanceof StartStep) return "S";
    if (m instanceof ShardGradients) return "G";
    if (m instanceof StepFailed) return "F";
    if (m instanceof StatusRequest) return "Q";
    if (m instanceof WorkerStatus) return "W";
    if (m instanceof EndJob) return "E";
    if (m instanceof LinkHello) return "H";
    throw new IllegalArgumentException("no manifest for " + m.getClass().getName());
  }

  public static byte[] encode(Message m) {
    return encode(m, true);
  }

  /**
   * The message without its tensor's values ({@code FloatChunkProto.data} left empty): the header
   * of a data-link frame, whose payload is {@link #tensor}'s values, raw.
   */
  public static byte[] encodeHeader(Message m) {
    return encode(m, false);
  }

  /** The one tensor a message carries (weights, gradient, shard rows); null for the others. */
  public static FloatChunk tensor(Message m) {
    if (m instanceof StartStep x) return x.weights();
    if (m instanceof ShardGradients x) return x.gradient();
    if (m instanceof ShardChunk x) return x.values();
    return null;
  }

  /**
   * The message's size on the wire, in bytes: its protobuf header and its tensor's values, 4 bytes
   * each (the few bytes of framing around them left out).
   */
  public static long wireSize(Message m) {
    FloatChunk t = tensor(m);
    return encodeHeader(m).length + (t == null ? 0 : 4L * t.length());
  }

  private static byte[] encode(Message m, boolean data) {
    if (m instanceof RegisterWorker x) {
      return org.dtrain.proto.cluster.RegisterWorker.newBuilder()
          .setHeader(header(x.header())).setWorkerId(x.workerId())
          .setDtrainVersion(x.dtrainVersion()).setCores(x.cores()).build().toByteArray();
    }
    if (m instanceof JobSpec x) {
      var b = org.dtrain.proto.cluster.JobSpec.newBuilder()
          .setHeader(header(x.header())).setModel(ProtoConverter.specToProto(x.spec()))
          .setSeed(x.seed()).setShards(x.shards()).setStepsPerEpoch(x.stepsPerEpoch())
          .setFullBatch(x.fullBatch()).setFeatures(x.features()).setOutputs(x.outputs());
      if (x.link() != null) {
        b.setDataLink(org.dtrain.proto.cluster.DataLinkOffer.newBuilder()
            .setHost(x.link().host()).setPort(x.link().port()).setToken(x.link().token()));
      }
      return b.build().toByteArray();
    }
    if (m instanceof AssignShards x) {
      var b = org.dtrain.proto.cluster.AssignShards.newBuilder().setHeader(header(x.header()))
          .setDataConfig(x.dataConfig()).setTrainRows(x.trainRows());
      for (ShardInfo s : x.shards()) {
        b.addShards(org.dtrain.proto.cluster.ShardInfo.newBuilder()
            .setShard(s.shard()).setRows(s.rows()).setSha256(s.sha256()));
      }
      return b.build().toByteArray();
    }
    if (m instanceof ShardChunk x) {
      return org.dtrain.proto.cluster.ShardChunk.newBuilder()
          .setHeader(header(x.header())).setShard(x.shard()).setPart(x.part())
          .setValues(chunk(x.values(), data)).build().toByteArray();
    }
    if (m instanceof ShardsLoaded x) {
      return org.dtrain.proto.cluster.ShardsLoaded.newBuilder()
          .setHeader(header(x.header())).setWorkerId(x.workerId()).addAllShards(x.shards())
          .build().toByteArray();
    }
    if (m instanceof StartStep x) {
      var b = org.dtrain.proto.cluster.StartStep.newBuilder()
          .setHeader(header(x.header())).setEpoch(x.epoch()).setStepInEpoch(x.stepInEpoch())
          .addAllShards(x.shards()).setWeights(chunk(x.weights(), data));
      ReductionTarget r = x.reduction();
      if (r != null) {
        b.setReduction(org.dtrain.proto.cluster.ReductionTarget.newBuilder()
            .setParentId(r.parentId()).setParentAddress(r.parentAddress())
            .addAllChildren(r.children()).addAllAwaited(r.awaited()));
      }
      return b.build().toByteArray();
    }
    if (m instanceof ShardGradients x) {
      return org.dtrain.proto.cluster.ShardGradients.newBuilder()
          .setHeader(header(x.header())).setWorkerId(x.workerId()).setFirst(x.first())
          .setLevel(x.level()).setSamples(x.samples()).setLossSum(x.lossSum())
          .setCorrect(x.correct()).setComputeNanos(x.computeNanos())
          .setReceiveNanos(x.receiveNanos()).setGradient(chunk(x.gradient(), data))
          .build().toByteArray();
    }
    if (m instanceof StepFailed x) {
      return org.dtrain.proto.cluster.StepFailed.newBuilder()
          .setHeader(header(x.header())).setWorkerId(x.workerId()).setShard(x.shard())
          .setReason(x.reason()).build().toByteArray();
    }
    if (m instanceof StatusRequest x) {
      return org.dtrain.proto.cluster.StatusRequest.newBuilder()
          .setHeader(header(x.header())).build().toByteArray();
    }
    if (m instanceof WorkerStatus x) {
      return org.dtrain.proto.cluster.WorkerStatus.newBuilder()
          .setHeader(header(x.header())).setWorkerId(x.workerId()).setState(x.state())
          .addAllShards(x.shards()).setLastComputeNanos(x.lastComputeNanos())
          .build().toByteArray();
    }
    if (m instanceof EndJob x) {
      return org.dtrain.proto.cluster.EndJob.newBuilder()
          .setHeader(header(x.header())).setReason(x.reason()).build().toByteArray();
    }
    if (m instanceof LinkHello x) {
      return org.dtrain.proto.cluster.LinkHello.newBuilder()
          .setHeader(header(x.header())).setWorkerId(x.workerId()).setToken(x.token())
          .build().toByteArray();
    }
    throw new IllegalArgumentException("cannot encode " + m.getClass().getName());
  }

  /**
   * @throws IllegalArgumentException when the bytes are not a valid message of that manifest
   */
  public static Message decode(byte[] bytes, String manifest) {
    return decode(bytes, manifest, null);
  }

  /**
   * A data-link frame's message: {@code header} is the message with its tensor's data empty, and
   * {@code payload} (little-endian float32, read from its position to its limit) holds the tensor's
   * values. A message without a tensor must come with an empty payload.
   *
   * @throws IllegalArgumentException when the bytes are not a valid message of that manifest
   */
  public static Message decodeFrame(byte[] header, String manifest, ByteBuffer payload) {
    return decodeFrame(header, manifest, payload, FloatBuffer::allocate);
  }

  /**
   * As {@link #decodeFrame(byte[], String, ByteBuffer)}, with the tensor's values written into
   * {@code buffers.apply(n)}, a buffer of n floats (from index 0) that the caller may reuse once the
   * message is handled (every value is overwritten).
   */
  public static Message decodeFrame(byte[] header, String manifest, ByteBuffer payload,
      IntFunction<FloatBuffer> buffers) {
    Message m = decode(header, manifest, payload, buffers);
    if (tensor(m) == null && payload.hasRemaining()) {
      throw new IllegalArgumentException(manifest + ": a payload of " + payload.remaining()
          + " bytes for a message without a tensor");
    }
    return m;
  }

  /**
   * As {@link #decodeFrame(byte[], String, ByteBuffer)} for a frame whose payload was read straight
   * into {@code values} (little-endian float32, all of its capacity): the message's tensor is
   * {@code values} itself, not a copy.
   */
  public static Message decodeFrameInPlace(byte[] header, String manifest, FloatBuffer values) {
    return decode(header, manifest, ByteBuffer.allocate(0), new InPlace(values));
  }

  /** The tensor's values are already in place (see {@link #decodeFrameInPlace}). */
  private record InPlace(FloatBuffer values) implements IntFunction<FloatBuffer> {
    @Override
    public FloatBuffer apply(int n) {
      return values;
    }
  }

  private static Message decode(byte[] bytes, String manifest, ByteBuffer payload) {
    return decode(bytes, manifest, payload, FloatBuffer::allocate);
  }

  private static Message decode(byte[] bytes, String manifest, ByteBuffer payload,
      IntFunction<FloatBuffer> buffers) {
    try {
      return switch (manifest) {
        case "R" -> {
          var p = org.dtrain.proto.cluster.RegisterWorker.parseFrom(bytes);
          yield new RegisterWorker(header(p.getHeader()), p.getWorkerId(), p.getDtrainVersion(),
              p.getCores());
        }
        case "J" -> {
          var p = org.dtrain.proto.cluster.JobSpec.parseFrom(bytes);
          ModelSpec spec = ProtoConverter.specFromProto(p.getModel());
          int shards = positive(p.getShards(), "shards");
          int steps = positive(p.getStepsPerEpoch(), "steps_per_epoch");
          if (p.getFeatures() != spec.inputs() || p.getOutputs() != spec.outputs()) {
            throw new IllegalArgumentException("features/outputs: expected " + spec.inputs() + "/"
                + spec.outputs() + " for the model, found " + p.getFeatures() + "/"
                + p.getOutputs());
          }
          DataLinkOffer link = null;
          if (p.hasDataLink()) {
            var d = p.getDataLink();
            if (Integer.compareUnsigned(d.getPort(), 65535) > 0 || d.getPort() == 0
                || d.getHost().isEmpty() || d.getToken().isEmpty()) {
              throw new IllegalArgumentException("data_link: expected a host, a port of 1 to "
                  + "65535 and a token, found '" + d.getHost() + "' port "
                  + Integer.toUnsignedString(d.getPort()));
            }
            link = new DataLinkOffer(d.getHost(), d.getPort(), d.getToken());
          }
          yield new JobSpec(header(p.getHeader()), spec, p.getSeed(), shards, steps,
              p.getFullBatch(), p.getFeatures(), p.getOutputs(), link);
        }
        case "A" -> {
          var p = org.dtrain.proto.cluster.AssignShards.parseFrom(bytes);
          List<ShardInfo> shards = new ArrayList<>();
          for (var s : p.getShardsList()) {
            shards.add(new ShardInfo(nonNegative(s.getShard(), "shard"),
                positive(s.getRows(), "rows"), s.getSha256()));
          }
          String dataConfig = p.getDataConfig();
          int trainRows = dataConfig.isEmpty() ? nonNegative(p.getTrainRows(), "train_rows")
              : positive(p.getTrainRows(), "train_rows");
          yield new AssignShards(header(p.getHeader()), shards, dataConfig, trainRows);
        }
        case "C" -> {
          var p = org.dtrain.proto.cluster.ShardChunk.parseFrom(bytes);
          if (p.getPart() != ShardChunk.X && p.getPart() != ShardChunk.Y) {
            throw new IllegalArgumentException("part: expected 0 (x) or 1 (y), found "
                + Integer.toUnsignedString(p.getPart()));
          }
          yield new ShardChunk(header(p.getHeader()), nonNegative(p.getShard(), "shard"),
              p.getPart(), chunk(p.getValues(), "values", payload, buffers));
        }
        case "L" -> {
          var p = org.dtrain.proto.cluster.ShardsLoaded.parseFrom(bytes);
          yield new ShardsLoaded(header(p.getHeader()), p.getWorkerId(),
              shardIds(p.getShardsList()));
        }
        case "S" -> {
          var p = org.dtrain.proto.cluster.StartStep.parseFrom(bytes);
          if (p.getEpoch() < 0) throw new IllegalArgumentException("epoch: negative " + p.getEpoch());
          ReductionTarget reduction = null;
          if (p.hasReduction()) {
            var r = p.getReduction();
            for (int id : r.getAwaitedList()) nonNegative(id, "reduction.awaited");
            reduction = new ReductionTarget(r.getParentId(), r.getParentAddress(),
                r.getChildrenList(), r.getAwaitedList());
          }
          yield new StartStep(header(p.getHeader()), p.getEpoch(),
              nonNegative(p.getStepInEpoch(), "step_in_epoch"), shardIds(p.getShardsList()),
              chunk(p.getWeights(), "weights", payload, buffers), reduction);
        }
        case "G" -> {
          var p = org.dtrain.proto.cluster.ShardGradients.parseFrom(bytes);
          if (Integer.compareUnsigned(p.getLevel(), 31) >= 0) {
            throw new IllegalArgumentException("level: expected at most 30, found "
                + Integer.toUnsignedString(p.getLevel()));
          }
          yield new ShardGradients(header(p.getHeader()), p.getWorkerId(),
              nonNegative(p.getFirst(), "first"), p.getLevel(),
              nonNegative(p.getSamples(), "samples"), p.getLossSum(), p.getCorrect(),
              p.getComputeNanos(), p.getReceiveNanos(),
              chunk(p.getGradient(), "gradient", payload, buffers));
        }
        case "F" -> {
          var p = org.dtrain.proto.cluster.StepFailed.parseFrom(bytes);
          yield new StepFailed(header(p.getHeader()), p.getWorkerId(), p.getShard(), p.getReason());
        }
        case "Q" -> new StatusRequest(
            header(org.dtrain.proto.cluster.StatusRequest.parseFrom(bytes).getHeader()));
        case "W" -> {
          var p = org.dtrain.proto.cluster.WorkerStatus.parseFrom(bytes);
          yield new WorkerStatus(header(p.getHeader()), p.getWorkerId(), p.getState(),
              shardIds(p.getShardsList()), p.getLastComputeNanos());
        }
        case "E" -> {
          var p = org.dtrain.proto.cluster.EndJob.parseFrom(bytes);
          yield new EndJob(header(p.getHeader()), p.getReason());
        }
        case "H" -> {
          var p = org.dtrain.proto.cluster.LinkHello.parseFrom(bytes);
          yield new LinkHello(header(p.getHeader()), p.getWorkerId(), p.getToken());
        }
        default -> throw new IllegalArgumentException("unknown message manifest '" + manifest + "'");
      };
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not a valid " + manifest + " message: " + e.getMessage());
    }
  }

  private static HeaderProto header(Header h) {
    return HeaderProto.newBuilder().setProtocol(h.protocol()).setJobId(h.jobId())
        .setStep(h.step()).build();
  }

  private static Header header(HeaderProto h) {
    if (h.getStep() < 0) throw new IllegalArgumentException("header.step: negative " + h.getStep());
    return new Header(h.getProtocol(), h.getJobId(), h.getStep());
  }

  private static FloatChunkProto chunk(FloatChunk c, boolean data) {
    if (!data) {
      return FloatChunkProto.newBuilder().setOffset(c.offset()).setTotal(c.total()).build();
    }
    ByteBuffer b = ByteBuffer.allocate(c.length() * 4).order(ByteOrder.LITTLE_ENDIAN);
    c.copyValuesTo(b.asFloatBuffer());
    return FloatChunkProto.newBuilder().setOffset(c.offset()).setTotal(c.total())
        .setData(UnsafeByteOperations.unsafeWrap(b.array())).build();
  }

  /** @param payload the values from a data-link frame; null: they are in {@code p.data} */
  private static FloatChunk chunk(FloatChunkProto p, String field, ByteBuffer payload,
      IntFunction<FloatBuffer> buffers) {
    ByteString data = p.getData();
    if (payload != null && !data.isEmpty()) {
      throw new IllegalArgumentException(field + ".data: expected empty in a data-link frame, found "
          + data.size() + " bytes");
    }
    ByteBuffer bytes = payload != null ? payload.slice() : data.asReadOnlyByteBuffer();
    InPlace inPlace = buffers instanceof InPlace p1 ? p1 : null;
    int byteCount = inPlace != null ? inPlace.values().capacity() * 4 : bytes.remaining();
    if (byteCount % 4 != 0) {
      throw new IllegalArgumentException(field + ".data: expected a multiple of 4 bytes, found "
          + byteCount);
    }
    int n = byteCount / 4;
    long offset = Integer.toUnsignedLong(p.getOffset());
    long total = Integer.toUnsignedLong(p.getTotal());
    if (total > MAX_TOTAL || offset + n > total) {
      throw new IllegalArgumentException(field + ": " + n + " floats at offset " + offset
          + " do not fit in a total of " + total + " (at most " + MAX_TOTAL + ")");
    }
    FloatBuffer values = buffers.apply(n);
    if (inPlace == null) values.put(0, bytes.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer(), 0, n);
    return new FloatChunk(values, 0, n, (int) offset, (int) total);
  }

  private static List<Integer> shardIds(List<Integer> ids) {
    for (int id : ids) nonNegative(id, "shards");
    return ids;
  }

  private static int positive(int v, String field) {
    if (v <= 0) {
      throw new IllegalArgumentException(field + ": expected a positive number, found "
          + Integer.toUnsignedString(v));
    }
    return v;
  }

  private static int nonNegative(int v, String field) {
    if (v < 0) {
      throw new IllegalArgumentException(field + ": expected at most " + Integer.MAX_VALUE
          + ", found " + Integer.toUnsignedString(v));
    }
    return v;
  }
}
