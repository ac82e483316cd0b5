package org.dtrain.coordinator;

import org.dtrain.data.Dataset;
import org.dtrain.nn.BatchStats;
import org.dtrain.nn.Network;
import org.dtrain.nn.Parameters;
import org.dtrain.nn.Workspace;

/**
 * Loss and accuracy of parameters over a whole data set, in chunks of one network pass
 * ({@link Workspace#PASS_ROWS} rows), so that each chunk's outputs are in the workspace at its end.
 */
public final class Evaluator {
  private static final int CHUNK = Workspace.PASS_ROWS;
  private final Network network;
  private final Workspace workspace;

  public Evaluator(Network network, int rows) {
    this.network = network;
    this.workspace = new Workspace(network.spec(), Math.max(1, Math.min(CHUNK, rows)));
  }

  public BatchStats evaluate(Parameters p, Dataset d) {
    return forEachChunk(p, d, null);
  }

  /** Stats, and every row's outputs ŷ written into {@code outputs} (rows, n_L) when not null. */
  public BatchStats forEachChunk(Parameters p, Dataset d, float[] outputs) {
    BatchStats total = BatchStats.EMPTY;
    int k = network.spec().outputs();
    for (int start = 0; start < d.rows(); start += workspace.capacity()) {
      int n = Math.min(workspace.capacity(), d.rows() - start);
      workspace.load(d.x(), d.y(), start, n);
      total = total.plus(network.evaluate(p, workspace, n));
      if (outputs != null) {
        workspace.output().get(0, outputs, start * k, n * k);
      }
    }
    return total;
  }
}
