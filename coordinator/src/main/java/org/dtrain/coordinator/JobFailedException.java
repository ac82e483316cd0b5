package org.dtrain.coordinator;

/** The job could not go on (a worker failed, sent garbage, or stopped); exit code 1. */
public class JobFailedException extends RuntimeException {
  public JobFailedException(String message) {
    super(message);
  }
}
