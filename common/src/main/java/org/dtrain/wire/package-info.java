/**
 * The one converter between math objects and protobuf messages. Float arrays travel as little-endian
 * float32 bytes (one bulk copy), never as {@code repeated float}.
 */
package org.dtrain.wire;
