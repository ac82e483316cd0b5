package org.dtrain.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dtrain.data.Scaler;
import org.dtrain.model.Model;
import org.dtrain.model.ModelFile;
import org.dtrain.model.RunInfo;
import org.dtrain.nn.Activation;
import org.dtrain.nn.Initializer;
import org.dtrain.nn.Loss;
import org.dtrain.nn.ModelSpec;
import org.dtrain.nn.Parameters;
import org.dtrain.proto.ModelProto;
import org.dtrain.proto.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProtoConverterTest {
  @TempDir Path dir;

  private static Model model() {
    ModelSpec spec = ModelSpec.of(new int[] {3, 4, 2}, Activation.leakyRelu(0.2f),
        Activation.of(Activation.Kind.SOFTMAX), Loss.CROSS_ENTROPY);
    Parameters p = Parameters.zeros(spec);
    Initializer.initialize(p, 42);
    p.values().put(0, Float.MIN_VALUE); // a subnormal survives the trip too
    return new Model(spec, p, Scaler.of(Scaler.Kind.STANDARD, new float[] {1, 2, 3},
        new float[] {0.5f, 1, 2}), List.of("a", "b", "c"), "label",
        new RunInfo(42, "lr = 0.1", "abc", "test", 123, 7, 1));
  }

  @Test
  void modelSurvivesTheFileBitForBit() throws Exception {
    Model m = model();
    Path f = dir.resolve("m.dtm");
    ModelFile.write(m, f);
    Model back = ModelFile.read(f, "m.dtm");
    assertEquals(m.spec(), back.spec());
    assertArrayEquals(m.parameters().toArray(), back.parameters().toArray());
    assertArrayEquals(m.scaler().offset(), back.scaler().offset());
    assertEquals(m.runInfo(), back.runInfo());
    assertEquals(m.featureNames(), back.featureNames());
    assertEquals("leaky_relu:0.2", back.spec().layer(0).activation().text());
    try (var s = Files.list(dir)) {
      assertEquals(1, s.count(), "no temporary file left behind");
    }
  }

  @Test
  void tensorsAreLittleEndianFloat32Bytes() {
    Tensor t = ProtoConverter.tensor(org.dtrain.math.Buffers.of(1f), 0, 1, 1);
    assertEquals(ByteString.copyFrom(new byte[] {0, 0, (byte) 0x80, 0x3f}), t.getData());
  }

  @Test
  void aWeightTensorOfTheWrongShapeIsRejectedNamingTheField() {
    ModelProto good = ProtoConverter.toProto(model());
    ModelProto bad = good.toBuilder().setLayers(1, good.getLayers(1).toBuilder()
        .setWeights(good.getLayers(1).getWeights().toBuilder().setShape(0, 3))).build();
    var e = assertThrows(IllegalArgumentException.class, () -> ProtoConverter.fromProto(bad));
    assertTrue(e.getMessage().contains("layers[1].weights: expected shape [2, 4], found [3, 4]"),
        e.getMessage());
  }
}
