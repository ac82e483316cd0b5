package org.dtrain.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.dtrain.coordinator.ModelEvaluation;
import org.dtrain.model.ModelFile;
import org.dtrain.model.ModelJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dtrain export --format json}: the model as JSON; weights[i][j] is W_ij. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Exports a saved model. JSON layout:",
        "{\"format\":\"dtrain-model\",\"version\":1,\"loss\":..,\"scaling\":{..},\"layers\":[{\"in\":..,\"out\":..,\"activation\":..,\"weights\":[[..n_in..]..n_out rows],\"bias\":[..]}]}",
        "Numbers parse back to the same float32."})
final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Option(names = "--model", required = true, paramLabel = "M", description = "Model file.")
  String model;
  @Option(names = "--format", required = true, paramLabel = "F", description = "Export format: json.")
  String format;
  @Option(names = "--out", paramLabel = "F", description = "Write here (atomically) instead of to standard output.")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (!format.equals("json")) {
      throw new IllegalArgumentException("--format: expected json, found '" + format + "'");
    }
    String json = ModelJson.toJson(ModelEvaluation.loadModel(model));
    if (out == null) {
      spec.commandLine().getOut().print(json);
      spec.commandLine().getOut().flush();
    } else {
      ModelFile.writeAtomically(json.getBytes(StandardCharsets.UTF_8), out);
    }
    return Main.OK;
  }
}
