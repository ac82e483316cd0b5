/**
 * Dense float32 linear algebra: row-major matrices in direct (off-heap) buffers, the {@link
 * org.dtrain.math.Blas} facade over OpenBLAS with a plain-Java fallback, and element-wise kernels.
 *
 * <p>Buffers are direct and in native byte order so that OpenBLAS reads them in place (no copy into
 * native memory per call) and so that they become little-endian protobuf bytes with one bulk copy.
 */
package org.dtrain.math;
