package org.dtrain.protocol;

/** worker -> coordinator: here I am. */
public record RegisterWorker(Header header, String workerId, String dtrainVersion, int cores)
    implements Message {}
