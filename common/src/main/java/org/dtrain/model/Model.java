package org.dtrain.model;

import java.util.List;
import org.dtrain.data.Scaler;
import org.dtrain.nn.ModelSpec;
import org.dtrain.nn.Parameters;

/**
 * A model as saved and loaded: architecture, parameters, the feature scaling fitted on the training
 * rows (applied again by evaluate and predict), the input column names and provenance.
 */
public record Model(ModelSpec spec, Parameters parameters, Scaler scaler, List<String> featureNames,
    String label, RunInfo runInfo) {

  public Model {
    featureNames = List.copyOf(featureNames);
    if (!parameters.spec().equals(spec)) {
      throw new IllegalArgumentException("parameters are laid out for " + parameters.spec()
          + ", not " + spec);
    }
  }
}
