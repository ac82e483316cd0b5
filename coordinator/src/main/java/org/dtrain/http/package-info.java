/**
 * The coordinator's HTTP endpoint, on Netty with threads of its own: the status API
 * ({@code /api/status}, {@code /api/history}), Prometheus metrics ({@code /metrics}) and the live
 * dashboard ({@code /}). It only reads the job's {@link org.dtrain.coordinator.JobStatus}; nothing
 * a client does reaches the actors.
 */
package org.dtrain.http;
