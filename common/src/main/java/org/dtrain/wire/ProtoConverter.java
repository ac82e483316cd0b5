package org.dtrain.wire;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.dtrain.data.Scaler;
import org.dtrain.model.Model;
import org.dtrain.model.RunInfo;
import org.dtrain.nn.Activation;
import org.dtrain.nn.LayerSpec;
import org.dtrain.nn.Loss;
import org.dtrain.nn.ModelSpec;
import org.dtrain.nn.Parameters;
import org.dtrain.proto.LayerProto;
import org.dtrain.proto.ModelProto;
import org.dtrain.proto.ScalingProto;
import org.dtrain.proto.Tensor;

/**
 * Math objects to protobuf and back. Decoding checks every shape and length against what the message
 * declares and throws {@link IllegalArgumentException} naming the field on a mismatch.
 */
public final class ProtoConverter {
  private ProtoConverter() {}

  /** {@code n} floats of {@code b} from {@code offset} as a tensor of the given shape. */
  public static Tensor tensor(FloatBuffer b, int offset, int n, int... shape) {
    ByteBuffer bytes = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(0, b, offset, n);
    Tensor.Builder t = Tensor.newBuilder().setData(ByteString.copyFrom(bytes.array()));
    for (int d : shape) t.addShape(d);
    return t.build();
  }

  /** Copies a tensor's values into {@code dst} at {@code offset}, after checking its shape. */
  public static void readTensor(Tensor t, String field, FloatBuffer dst, int offset, int... shape) {
    List<Integer> expected = new ArrayList<>();
    long n = 1;
    for (int d : shape) {
      expected.add(d);
      n *= d;
    }
    if (!t.getShapeList().equals(expected)) {
      throw new IllegalArgumentException(field + ": expected shape " + expected + ", found "
          + t.getShapeList());
    }
    if (t.getData().size() != n * 4) {
      throw new IllegalArgumentException(field + ": expected " + n * 4 + " bytes for shape "
          + expected + ", found " + t.getData().size());
    }
    FloatBuffer src = t.getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    dst.put(offset, src, 0, (int) n);
  }

  public static ModelProto toProto(Model m) {
    ModelProto.Builder b = ModelProto.newBuilder().setLoss(m.spec().loss().text());
    Parameters p = m.parameters();
    for (int l = 0; l < m.spec().depth(); l++) {
      LayerSpec ls = m.spec().layer(l);
      b.addLayers(layerShape(ls)
          .setWeights(tensor(p.values(), p.offset(l), ls.out() * ls.in(), ls.out(), ls.in()))
          .setBias(tensor(p.values(), p.offset(l) + ls.out() * ls.in(), ls.out(), ls.out())));
    }
    Scaler s = m.scaler();
    ScalingProto.Builder sp = ScalingProto.newBuilder().setKind(s.kind().name().toLowerCase());
    for (float v : s.offset()) sp.addOffset(v);
    for (float v : s.scale()) sp.addScale(v);
    RunInfo r = m.runInfo();
    return b.setScaling(sp)
        .setRunInfo(org.dtrain.proto.RunInfo.newBuilder()
            .setSeed(r.seed()).setConfig(r.config()).setDatasetSha256(r.datasetSha256())
            .setDtrainVersion(r.version()).setCreatedUnixMs(r.createdUnixMs())
            .setSteps(r.steps()).setShards(r.shards()))
        .addAllFeatureNames(m.featureNames())
        .setLabel(m.label())
        .build();
  }

  /** The model's shape and loss alone: layers without tensors (what a worker is told). */
  public static ModelProto specToProto(ModelSpec spec) {
    ModelProto.Builder b = ModelProto.newBuilder().setLoss(spec.loss().text());
    for (int l = 0; l < spec.depth(); l++) {
      b.addLayers(layerShape(spec.layer(l)));
    }
    return b.build();
  }

  /** The layers and loss of a model message, checked; its tensors are ignored. */
  public static ModelSpec specFromProto(ModelProto mp) {
    if (mp.getLayersCount() == 0) {
      throw new IllegalArgumentException("layers: a model needs at least one layer, found none");
    }
    List<LayerSpec> layers = new ArrayList<>();
    for (int l = 0; l < mp.getLayersCount(); l++) {
      LayerProto lp = mp.getLayers(l);
      Activation g = lp.getActivation().equals("leaky_relu")
          ? Activation.leakyRelu(lp.getAlpha()) : Activation.parse(lp.getActivation());
      layers.add(new LayerSpec(lp.getIn(), lp.getOut(), g));
    }
    return new ModelSpec(layers, Loss.parse(mp.getLoss()));
  }

  private static LayerProto.Builder layerShape(LayerSpec ls) {
    return LayerProto.newBuilder()
        .setIn(ls.in()).setOut(ls.out())
        .setActivation(ls.activation().kind() == Activation.Kind.LEAKY_RELU ? "leaky_relu"
            : ls.activation().text())
        .setAlpha(ls.activation().alpha());
  }

  public static Model fromProto(ModelProto mp) {
    ModelSpec spec = specFromProto(mp);
    Parameters p = Parameters.zeros(spec);
    for (int l = 0; l < spec.depth(); l++) {
      LayerSpec ls = spec.layer(l);
      LayerProto lp = mp.getLayers(l);
      readTensor(lp.getWeights(), "layers[" + l + "].weights", p.values(), p.offset(l),
          ls.out(), ls.in());
      readTensor(lp.getBias(), "layers[" + l + "].bias", p.values(),
          p.offset(l) + ls.out() * ls.in(), ls.out());
    }
    ScalingProto sp = mp.getScaling();
    Scaler.Kind kind = Scaler.Kind.valueOf(sp.getKind().toUpperCase());
    Scaler scaler;
    if (kind == Scaler.Kind.NONE) {
      scaler = Scaler.of(kind, new float[0], new float[0]);
    } else {
      if (sp.getOffsetCount() != spec.inputs() || sp.getScaleCount() != spec.inputs()) {
        throw new IllegalArgumentException("scaling: expected " + spec.inputs()
            + " offsets and scales, found " + sp.getOffsetCount() + " and " + sp.getScaleCount());
      }
      scaler = Scaler.of(kind, toArray(sp.getOffsetList()), toArray(sp.getScaleList()));
    }
    org.dtrain.proto.RunInfo ri = mp.getRunInfo();
    RunInfo run = new RunInfo(ri.getSeed(), ri.getConfig(), ri.getDatasetSha256(),
        ri.getDtrainVersion(), ri.getCreatedUnixMs(), ri.getSteps(), ri.getShards());
    return new Model(spec, p, scaler, mp.getFeatureNamesList(), mp.getLabel(), run);
  }

  private static float[] toArray(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) out[i] = values.get(i);
    return out;
  }
}
