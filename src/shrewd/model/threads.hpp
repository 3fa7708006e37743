#pragma once

namespace shrewd::model {

// Sets LibTorch's intra-op threads (torch::set_num_threads) to `threads` (<= 0: all hardware
// threads) and its inter-op pool to 1 thread. Call once, early, before the first tensor operation.
//
// Two settings that matter on small CPUs live in the environment: OMP_WAIT_POLICY=PASSIVE (idle
// OpenMP threads sleep instead of spinning, which otherwise steals the cores that the main thread
// and data-loading threads need) and OPENBLAS_NUM_THREADS=1 (LibTorch already parallelises around
// BLAS calls; OpenBLAS's own threads only compete). libgomp and OpenBLAS read them in their
// library constructors, before main() runs, so setenv() inside main() is too late (measured: no
// effect, see docs/data-and-models.md).
void configure_threads(int threads);

// Call first thing in main(). When OMP_WAIT_POLICY or OPENBLAS_NUM_THREADS is unset, sets the
// recommended values (keeping any the user set) plus SHREWD_ENV_APPLIED=1 and re-executes the
// program (/proc/self/exe) with the same arguments, so the runtimes start with them. Returns
// normally when nothing needs doing, when SHREWD_ENV_APPLIED is already set, or when exec fails.
void apply_recommended_environment(char** argv);
// The same, taking the arguments from /proc/self/cmdline: for code that has no argv at hand. Call
// it before any LibTorch work (the program restarts from main()).
void set_recommended_environment();

}  // namespace shrewd::model
