package org.dtrain.model;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.dtrain.proto.CheckpointProto;
import org.dtrain.wire.ProtoConverter;

/**
 * A training checkpoint: the model after {@code step} optimizer steps, with the optimizer's state.
 * With the job's configuration (in the model's RunInfo) that is all the next step needs: the
 * sampler's rows for a step are a function of the seed, the shard and the step.
 *
 * <p>On disk, {@code DIR/ckpt-<step>.dtck}: the model file's header (magic {@code DTCK}, format
 * version, payload length, CRC32C) and a {@code CheckpointProto}. Written to a temporary file,
 * forced to disk and renamed; the newest {@link #KEEP} are kept.
 *
 * @param firstMoment momentum's velocity or Adam's m (a copy); null for sgd
 * @param secondMoment Adam's v (a copy); null otherwise
 */
public record Checkpoint(Model model, long step, long epoch, float[] firstMoment,
    float[] secondMoment, long optimizerUpdates) {
  public static final byte[] MAGIC = "DTCK".getBytes(StandardCharsets.US_ASCII);
  /** Checkpoints kept in the directory. */
  public static final int KEEP = 3;
  private static final Pattern NAME = Pattern.compile("ckpt-(\\d{12})\\.dtck");

  public static Path file(Path dir, long step) {
    return dir.resolve(String.format("ckpt-%012d.dtck", step));
  }

  /** Writes it atomically as the newest checkpoint of {@code dir}; drops all but the newest 3. */
  public void write(Path dir) throws IOException {
    int n = model.spec().parameterCount();
    CheckpointProto.Builder b = CheckpointProto.newBuilder()
        .setModel(ProtoConverter.toProto(model)).setStep(step).setEpoch(epoch)
        .setOptimizerUpdates(optimizerUpdates);
    if (firstMoment != null) {
      b.setFirstMoment(ProtoConverter.tensor(FloatBuffer.wrap(firstMoment), 0, n, n));
    }
    if (secondMoment != null) {
      b.setSecondMoment(ProtoConverter.tensor(FloatBuffer.wrap(secondMoment), 0, n, n));
    }
    ModelFile.writeAtomically(ModelFile.encode(MAGIC, b.build().toByteArray()), file(dir, step));
    List<Path> all = files(dir);
    for (int i = 0; i + KEEP < all.size(); i++) Files.deleteIfExists(all.get(i));
  }

  /** Reads and checks one checkpoint; {@link IllegalArgumentException} names the file and fault. */
  public static Checkpoint read(Path file) throws IOException {
    String name = file.toString();
    byte[] payload = ModelFile.payload(file, name, MAGIC, "checkpoint");
    try {
      CheckpointProto p = CheckpointProto.parseFrom(payload);
      Model model = ProtoConverter.fromProto(p.getModel());
      int n = model.spec().parameterCount();
      return new Checkpoint(model, p.getStep(), p.getEpoch(),
          p.hasFirstMoment() ? moments(p.getFirstMoment(), name + ": first_moment", n) : null,
          p.hasSecondMoment() ? moments(p.getSecondMoment(), name + ": second_moment", n) : null,
          p.getOptimizerUpdates());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(name + ": corrupt checkpoint payload: " + e.getMessage());
    }
  }

  private static float[] moments(org.dtrain.proto.Tensor t, String field, int n) {
    float[] out = new float[n];
    ProtoConverter.readTensor(t, field, FloatBuffer.wrap(out), 0, n);
    return out;
  }

  /**
   * The newest checkpoint of {@code dir} that reads back whole, or null if there is none; each
   * newer one that does not is reported to {@code skipped} and passed over.
   */
  public static Checkpoint newest(Path dir, Consumer<String> skipped) throws IOException {
    List<Path> all = files(dir);
    for (int i = all.size() - 1; i >= 0; i--) {
      try {
        return read(all.get(i));
      } catch (IllegalArgumentException e) {
        skipped.accept(e.getMessage());
      }
    }
    return null;
  }

  /** The checkpoint files of {@code dir}, oldest first. */
  static List<Path> files(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) return out;
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).sorted().forEach(out::add);
    }
    return out;
  }
}
