/**
 * The worker side: the plain-Java step runner that computes one shard's gradient sum with the shared
 * math core. (The worker actor that hosts runners arrives with the cluster.)
 */
package org.dtrain.worker;
