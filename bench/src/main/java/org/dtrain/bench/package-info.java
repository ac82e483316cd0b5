/**
 * JMH benchmarks of one training step (load rows, gradient sum, divide, optimizer step), single
 * threaded, for comparison with the same step in PyTorch ({@code bench/torch_step.py},
 * {@code bench/compare.sh}, {@code docs/PERFORMANCE.md}).
 *
 * <p>Every buffer is allocated in {@code @Setup}; the measured methods only copy into and compute on
 * preallocated memory. OpenBLAS must run one thread: {@code compare.sh} exports
 * {@code OPENBLAS_NUM_THREADS=1} (forked JVMs inherit the environment) and {@code Blas} also calls
 * {@code blas_set_num_threads(1)}; each benchmark's setup checks the BLAS reports one thread.
 */
package org.dtrain.bench;
