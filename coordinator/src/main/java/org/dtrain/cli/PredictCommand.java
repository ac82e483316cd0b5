package org.dtrain.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.dtrain.coordinator.ModelEvaluation;
import org.dtrain.data.Dataset;
import org.dtrain.model.Model;
import org.dtrain.model.ModelFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dtrain predict}: one output row per input row. */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = {"Writes a saved model's predictions, one CSV row per input row.",
        "Classification: prediction (the class) then p0..pK-1 (the outputs). Regression: prediction."})
final class PredictCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Option(names = "--model", required = true, paramLabel = "M", description = "Model file written by train --save-model.")
  String model;
  @Option(names = "--data", required = true, paramLabel = "D", description = "Data in the same format as for training; a CSV label column is optional and ignored.")
  String data;
  @Option(names = "--label", paramLabel = "NAME", description = "CSV label column (default: the one the model was trained with).")
  String label;
  @Option(names = "--out", paramLabel = "CSV", description = "Write here (atomically) instead of to standard output.")
  Path out;

  @Override
  public Integer call() throws Exception {
    Model m = ModelEvaluation.loadModel(model);
    Dataset d = ModelEvaluation.loadData(m, data, label, false);
    ModelEvaluation e = ModelEvaluation.run(m, d);
    int k = m.spec().outputs();
    StringBuilder sb = new StringBuilder("prediction");
    if (e.classification()) {
      for (int j = 0; j < k; j++) sb.append(",p").append(j);
    }
    sb.append('\n');
    float[] o = e.outputs();
    for (int r = 0; r < d.rows(); r++) {
      if (e.classification()) {
        sb.append(e.predictedClass(r));
        for (int j = 0; j < k; j++) sb.append(',').append(o[r * k + j]);
      } else {
        for (int j = 0; j < k; j++) sb.append(j == 0 ? "" : ",").append(o[r * k + j]);
      }
      sb.append('\n');
    }
    if (out == null) {
      spec.commandLine().getOut().print(sb);
      spec.commandLine().getOut().flush();
    } else {
      ModelFile.writeAtomically(sb.toString().getBytes(StandardCharsets.UTF_8), out);
      spec.commandLine().getErr().println(String.format(Locale.ROOT, "%d predictions written to %s",
          d.rows(), out));
    }
    return Main.OK;
  }
}
