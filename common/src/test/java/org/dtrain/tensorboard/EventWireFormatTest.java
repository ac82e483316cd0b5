package org.dtrain.tensorboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import org.dtrain.proto.tensorboard.Event;
import org.dtrain.proto.tensorboard.Summary;
import org.dtrain.proto.tensorboard.SummaryMetadata;
import org.junit.jupiter.api.Test;

/**
 * Golden bytes, encoded by hand from the protobuf wire format, prove that the generated messages
 * use TensorFlow's field numbers and types (event.proto, summary.proto). A key is
 * {@code (field number << 3) | wire type}: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32.
 */
class EventWireFormatTest {
  private static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) out[i] = (byte) b[i];
    return out;
  }

  @Test
  void aScalarEventIsTensorFlowsBytes() throws Exception {
    Event e = Event.newBuilder().setWallTime(1.5).setStep(3)
        .setSummary(Summary.newBuilder().addValue(
            Summary.Value.newBuilder().setTag("loss").setSimpleValue(0.5f)))
        .build();
    byte[] golden = bytes(
        0x09, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f,   // wall_time = 1 (fixed64): 1.5 = 0x3ff8000000000000 LE
        0x10, 0x03,                            // step = 2 (varint): 3
        0x2a, 0x0d,                            // summary = 5 (length-delimited), 13 bytes
        0x0a, 0x0b,                            //   value = 1 (length-delimited), 11 bytes
        0x0a, 0x04, 'l', 'o', 's', 's',        //     tag = 1 (length-delimited): "loss"
        0x15, 0, 0, 0, 0x3f);                  //     simple_value = 2 (fixed32): 0.5 = 0x3f000000 LE
    assertArrayEquals(golden, e.toByteArray());
    assertEquals(e, Event.parseFrom(golden));
  }

  @Test
  void theFileVersionEventAndAMultiByteStepAreTensorFlowsBytes() throws Exception {
    Event version = Event.newBuilder().setWallTime(1.5).setFileVersion("brain.Event:2").build();
    assertArrayEquals(bytes(
        0x09, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f,
        0x1a, 0x0d,                            // file_version = 3 (length-delimited), 13 bytes
        'b', 'r', 'a', 'i', 'n', '.', 'E', 'v', 'e', 'n', 't', ':', '2'), version.toByteArray());
    // 300 = 0b10_0101100: low 7 bits 0x2c with the continuation bit (0xac), then 0x02.
    assertArrayEquals(bytes(0x10, 0xac, 0x02), Event.newBuilder().setStep(300).build().toByteArray());
  }

  @Test
  void summaryMetadataAndNodeNameAreTensorFlowsBytes() throws Exception {
    Summary s = Summary.newBuilder().addValue(Summary.Value.newBuilder()
        .setTag("t")
        .setNodeName("n")
        .setMetadata(SummaryMetadata.newBuilder()
            .setPluginData(SummaryMetadata.PluginData.newBuilder()
                .setPluginName("scalars").setContent(ByteString.copyFrom(bytes(1))))
            .setDisplayName("d")
            .setSummaryDescription("s")))
        .build();
    byte[] golden = bytes(
        0x0a, 0x1c,                            // value = 1, 28 bytes
        0x0a, 0x01, 't',                       //   tag = 1
        0x3a, 0x01, 'n',                       //   node_name = 7
        0x4a, 0x14,                            //   metadata = 9, 20 bytes
        0x0a, 0x0c,                            //     plugin_data = 1, 12 bytes
        0x0a, 0x07, 's', 'c', 'a', 'l', 'a', 'r', 's', // plugin_name = 1
        0x12, 0x01, 0x01,                      //       content = 2
        0x12, 0x01, 'd',                       //     display_name = 2
        0x1a, 0x01, 's');                      //     summary_description = 3
    assertArrayEquals(golden, s.toByteArray());
    assertEquals(s, Summary.parseFrom(golden));
  }
}
