/**
 * The messages coordinator and worker actors exchange, as immutable Java objects, and the one Akka
 * serializer that writes them as the protobuf messages of {@code proto/cluster.proto}.
 */
package org.dtrain.protocol;
