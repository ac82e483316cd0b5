package org.dtrain.cli;

import java.util.concurrent.Callable;
import org.dtrain.coordinator.ModelEvaluation;
import org.dtrain.data.Dataset;
import org.dtrain.model.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dtrain evaluate}: loss and accuracy (or mse, mae, r2) of a saved model on labelled data. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = {"Evaluates a saved model on labelled data, with the model's feature scaling.",
        "Classification: loss, accuracy and a confusion matrix. Regression: loss, mse, mae and r2."})
final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Option(names = "--model", required = true, paramLabel = "M", description = "Model file written by train --save-model.")
  String model;
  @Option(names = "--data", required = true, paramLabel = "D", description = "Labelled data (same formats as train).")
  String data;
  @Option(names = "--label", paramLabel = "NAME", description = "CSV label column (default: the one the model was trained with).")
  String label;
  @Option(names = "--json", description = "Print one JSON object: samples, loss, accuracy (classification) or mse, mae, r2 (regression).")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Model m = ModelEvaluation.loadModel(model);
    Dataset d = ModelEvaluation.loadData(m, data, label);
    ModelEvaluation e = ModelEvaluation.run(m, d);
    spec.commandLine().getOut().print(json ? e.json() + "\n" : e.report());
    spec.commandLine().getOut().flush();
    return Main.OK;
  }
}
