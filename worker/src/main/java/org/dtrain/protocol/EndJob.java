package org.dtrain.protocol;

/** coordinator -> worker: the job is over (finished or failed); drop its state. */
public record EndJob(Header header, String reason) implements Message {}
