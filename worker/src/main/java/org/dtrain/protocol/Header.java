package org.dtrain.protocol;

/**
 * Carried by every message: the protocol version, the job and the global step (0 before training).
 *
 * @param jobId empty before a worker has been given a job
 */
public record Header(int protocol, String jobId, long step) {
  public Header {
    if (jobId == null) throw new IllegalArgumentException("jobId must not be null");
  }

  public static Header of(String jobId, long step) {
    return new Header(Protocol.VERSION, jobId, step);
  }

  @Override
  public String toString() {
    return "job " + (jobId.isEmpty() ? "-" : jobId) + " step " + step + " protocol " + protocol;
  }
}
