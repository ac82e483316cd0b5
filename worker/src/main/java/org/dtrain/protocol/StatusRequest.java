package org.dtrain.protocol;

/** coordinator -> worker: report your {@link WorkerStatus}. */
public record StatusRequest(Header header) implements Message {}
