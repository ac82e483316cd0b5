/**
 * A trained model as a value (spec, parameters, scaling, provenance) and its file format: a small
 * header (magic, format version, payload length, CRC32C) in front of a protobuf payload.
 */
package org.dtrain.model;
