package org.dtrain.cli;

import static org.dtrain.cli.Cli.IRIS;
import static org.dtrain.cli.Cli.assertBadInput;
import static org.dtrain.cli.Cli.run;
import static org.dtrain.cli.Cli.write;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input to {@code train}: exit 2 and one stderr line naming the file:line:column,
 * flag or job-file key, what was expected and what was found.
 */
class CliBadInputTest {
  private static final String GOOD_CSV = "a,b,label\n0.1,0.2,0\n0.3,0.1,1\n0.5,0.9,0\n0.7,0.4,1\n";

  @TempDir Path dir;

  private Cli.Result train(String... args) {
    String[] all = new String[args.length + 4];
    all[0] = "train";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--quiet";
    all[args.length + 2] = "--epochs";
    all[args.length + 3] = "1";
    return run(all);
  }

  private String csv(String name, String text) throws IOException {
    return write(dir.resolve(name), text).toString();
  }

  // ---- CSV data ------------------------------------------------------------------------------

  @Test
  void missingDataFile() {
    String f = dir.resolve("nope.csv").toString();
    assertBadInput(train("--data", f), f, "no such file");
  }

  @Test
  void emptyDataFile() throws IOException {
    String f = csv("empty.csv", "");
    assertBadInput(train("--data", f), f, "header", "empty file");
  }

  @Test
  void headerOnlyDataFile() throws IOException {
    String f = csv("header.csv", "a,b,label\n");
    assertBadInput(train("--data", f), f + ":2:", "expected data rows", "only a header");
  }

  @Test
  void raggedRow() throws IOException {
    String f = csv("ragged.csv", "a,b,label\n0.1,0.2,0\n0.3,1\n");
    assertBadInput(train("--data", f), f + ":3:", "expected 3 columns", "found 2");
  }

  @Test
  void nonNumericCell() throws IOException {
    String f = csv("text.csv", "a,b,label\n0.1,0.2,0\n0.3,abc,1\n");
    assertBadInput(train("--data", f), f + ":3:2:", "'b'", "expected a number", "'abc'");
  }

  @Test
  void nanCell() throws IOException {
    String f = csv("nan.csv", "a,b,label\n0.1,0.2,0\nNaN,0.5,1\n");
    assertBadInput(train("--data", f), f + ":3:1:", "'a'", "finite", "'NaN'");
  }

  @Test
  void nonIntegerLabelForClassification() throws IOException {
    String f = csv("frac.csv", "a,b,label\n0.1,0.2,0\n0.3,0.4,1.5\n");
    assertBadInput(train("--data", f), f + ":3:3:", "label", "integer", "1.5");
  }

  @Test
  void outOfRangeLabelForClassification() throws IOException {
    String f = csv("range.csv", "a,b,label\n0.1,0.2,0\n0.3,0.4,1\n0.5,0.6,5\n");
    assertBadInput(train("--data", f, "--layers", "auto,8,3"), f + ":4:3:", "0..2", "found 5");
  }

  @Test
  void trainAndTestFeatureCountsDiffer() throws IOException {
    String tr = csv("train.csv", GOOD_CSV);
    String te = csv("test.csv", "a,label\n0.1,0\n0.2,1\n");
    assertBadInput(train("--data", tr, "--test-data", te), te, "expected 2 features", "found 1");
  }

  // ---- IDX data ------------------------------------------------------------------------------

  private static byte[] idx(int magic, int[] dims, int payloadBytes) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payloadBytes); // big-endian
    b.putInt(magic);
    for (int d : dims) b.putInt(d);
    for (int i = 0; i < payloadBytes; i++) b.put((byte) (i % 2));
    return b.array();
  }

  private String idxPair(byte[] images, byte[] labels) throws IOException {
    Path img = dir.resolve("tiny-images-idx3-ubyte");
    Files.write(img, images);
    Files.write(dir.resolve("tiny-labels-idx1-ubyte"), labels);
    return img.toString();
  }

  @Test
  void goodTinyIdxTrains() throws IOException {
    String img = idxPair(idx(2051, new int[] {4, 2, 2}, 16), idx(2049, new int[] {4}, 4));
    Cli.ok("train", "--data", img, "--layers", "auto,4,2", "--epochs", "1", "--quiet");
  }

  @Test
  void idxBadMagic() throws IOException {
    String img = idxPair(idx(0x00000C03, new int[] {4, 2, 2}, 16), idx(2049, new int[] {4}, 4));
    assertBadInput(train("--data", img), img, "magic 2051", "0x00000C03");
  }

  @Test
  void idxLabelsFileGivenAsImages() throws IOException {
    idxPair(idx(2051, new int[] {4, 2, 2}, 16), idx(2049, new int[] {4}, 4));
    // a labels file named as an images file: the magic check says what it is
    Path wrong = dir.resolve("other-images-idx3-ubyte");
    Files.write(wrong, idx(2049, new int[] {4}, 4));
    Files.write(dir.resolve("other-labels-idx1-ubyte"), idx(2049, new int[] {4}, 4));
    assertBadInput(train("--data", wrong.toString()), wrong.toString(), "magic 2051",
        "0x00000801", "a labels file");
  }

  @Test
  void idxTruncatedImages() throws IOException {
    String img = idxPair(idx(2051, new int[] {4, 2, 2}, 10), idx(2049, new int[] {4}, 4));
    assertBadInput(train("--data", img), img, "truncated", "16 pixel bytes", "found 10");
  }

  @Test
  void idxTruncatedHeader() throws IOException {
    byte[] full = idx(2051, new int[] {4, 2, 2}, 16);
    String img = idxPair(java.util.Arrays.copyOf(full, 10), idx(2049, new int[] {4}, 4));
    assertBadInput(train("--data", img), img, "truncated", "header");
  }

  @Test
  void idxImageAndLabelCountsDiffer() throws IOException {
    String img = idxPair(idx(2051, new int[] {4, 2, 2}, 16), idx(2049, new int[] {3}, 3));
    String labels = dir.resolve("tiny-labels-idx1-ubyte").toString();
    assertBadInput(train("--data", img), labels, "expected 4 labels", "found a header saying 3");
  }

  // ---- model shape and activations -------------------------------------------------------------

  @Test
  void layersNotMatchingData() {
    assertBadInput(train("--data", IRIS, "--layers", "5,8,3"), "--layers", "5 units", "4 features");
  }

  @Test
  void layersBadText() {
    assertBadInput(train("--data", IRIS, "--layers", "4,x,3"), "--layers", "position 2", "'x'");
  }

  @Test
  void aModelTooLargeForTheWireIsRefusedBeforeAnythingIsAllocated() {
    // 4*20000 + 20000 + 20000*20000 + 20000 + 20000*3 + 3 = 400,180,003 > 2^28
    assertBadInput(train("--data", IRIS, "--layers", "auto,20000,20000,auto"), "--layers",
        "at most 268435456 parameters", "found 400180003");
  }

  @Test
  void unknownActivation() {
    assertBadInput(train("--data", IRIS, "--hidden-activation", "swish"),
        "--hidden-activation", "'swish'", "relu");
  }

  @Test
  void unknownOutputActivation() {
    assertBadInput(train("--data", IRIS, "--output-activation", "swish"),
        "--output-activation", "'swish'", "softmax");
  }

  @Test
  void unknownLoss() {
    assertBadInput(train("--data", IRIS, "--loss", "hinge"), "--loss", "'hinge'", "cross_entropy");
  }

  @Test
  void unknownOptimizer() {
    assertBadInput(train("--data", IRIS, "--optimizer", "rmsprop"), "--optimizer", "'rmsprop'",
        "adam");
  }

  @Test
  void softmaxOnHiddenLayer() {
    String line = assertBadInput(train("--data", IRIS, "--hidden-activation", "softmax"),
        "softmax", "output layer");
    assertTrue(line.startsWith("dtrain train: --hidden-activation: "), line);
  }

  @Test
  void stepActivationCannotBeTrained() {
    String line = assertBadInput(train("--data", IRIS, "--hidden-activation", "step"),
        "step", "derivative");
    assertTrue(line.startsWith("dtrain train: --hidden-activation: "), line);
    assertTrue(line.contains("sigmoid"), line); // says what to use instead
  }

  @Test
  void crossEntropyWithSigmoidOutput() {
    String line = assertBadInput(
        train("--data", IRIS, "--loss", "cross_entropy", "--output-activation", "sigmoid"),
        "cross_entropy", "softmax", "found sigmoid");
    assertTrue(line.startsWith("dtrain train: --output-activation: "), line);
  }

  @Test
  void stepOutputActivationCannotBeTrained() {
    String line = assertBadInput(
        train("--data", IRIS, "--loss", "mse", "--layers", "auto,4,1", "--output-activation", "step"),
        "step", "derivative");
    assertTrue(line.startsWith("dtrain train: --output-activation: "), line);
  }

  // ---- optimisation flags -----------------------------------------------------------------------

  @Test
  void lrZero() {
    assertBadInput(train("--data", IRIS, "--lr", "0"), "--lr", "positive", "found 0");
  }

  @Test
  void lrNegative() {
    assertBadInput(train("--data", IRIS, "--lr", "-1"), "--lr", "positive", "found -1");
  }

  @Test
  void lrNotANumber() {
    assertBadInput(train("--data", IRIS, "--lr", "fast"), "--lr", "fast");
  }

  @Test
  void batchSizeZero() {
    assertBadInput(train("--data", IRIS, "--batch-size", "0"), "--batch-size", "positive", "found 0");
  }

  @Test
  void batchSizeNegative() {
    assertBadInput(train("--data", IRIS, "--batch-size", "-5"), "--batch-size", "positive",
        "found -5");
  }

  @Test
  void epochsNegative() {
    // not via train(): that appends --epochs 1, which would win
    assertBadInput(run("train", "--data", IRIS, "--epochs", "-1", "--quiet"), "--epochs",
        "0 or more", "found -1");
  }

  @Test
  void unknownFlag() {
    assertBadInput(train("--data", IRIS, "--learning-rate", "0.1"), "--learning-rate", "train");
  }

  @Test
  void noCommand() {
    assertBadInput(run(), "expected a command", "train");
  }

  // ---- job files ---------------------------------------------------------------------------------

  @Test
  void jobFileUnknownKey() throws IOException {
    Path job = write(dir.resolve("job.conf"), "data = \"" + IRIS + "\"\nlearning-rate = 0.1\n");
    String line = assertBadInput(train("--config", job.toString()), "job.conf:2", "learning-rate",
        "unknown key");
    assertTrue(line.contains("lr") && line.contains("batch-size") && line.contains("optimizer"),
        () -> "lists the allowed keys: " + line);
  }

  @Test
  void jobFileBadOptimizer() throws IOException {
    Path job = write(dir.resolve("job.conf"),
        "data = \"" + IRIS + "\"\nepochs = 1\noptimizer = \"rmsprop\"\n");
    assertBadInput(train("--config", job.toString()), "job.conf:3", "optimizer", "'rmsprop'",
        "sgd, momentum, adam");
  }

  @Test
  void jobFileBadLr() throws IOException {
    Path job = write(dir.resolve("job.conf"), "data = \"" + IRIS + "\"\n\nlr = \"fast\"\n");
    assertBadInput(train("--config", job.toString()), "job.conf:3", "lr", "expected a number",
        "fast");
  }

  @Test
  void jobFileMissing() {
    String f = dir.resolve("absent.conf").toString();
    assertBadInput(train("--config", f), "--config", f);
  }

  @Test
  void jobFileSyntaxError() throws IOException {
    Path job = write(dir.resolve("job.conf"), "data = \"" + IRIS + "\"\nlr = = {\n");
    assertBadInput(train("--config", job.toString()), "job.conf");
  }
}
