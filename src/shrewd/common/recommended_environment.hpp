#pragma once

namespace shrewd {

// Two settings that matter for LibTorch on small CPUs live in the environment: OMP_WAIT_POLICY=PASSIVE
// (idle OpenMP threads sleep instead of spinning, which otherwise steals the cores that the main thread
// and data-loading threads need) and OPENBLAS_NUM_THREADS=1 (LibTorch already parallelises around BLAS
// calls; OpenBLAS's own threads only compete). libgomp and OpenBLAS read them in their library
// constructors, before main() runs, so they must be set before the process that loads them starts
// (measured: setenv() inside main() has no effect, see docs/data-and-models.md).

// Sets the recommended values of the variables that are unset (a user's own values are kept).
// Returns true when it set anything.
bool set_recommended_environment_variables();

// Call first thing in main(). When a variable is unset, sets the recommended values plus
// SHREWD_ENV_APPLIED=1 and re-executes the program (/proc/self/exe) with the same arguments, so the
// runtimes start with them. Returns normally when nothing needs doing, when SHREWD_ENV_APPLIED is
// already set, or when exec fails.
void apply_recommended_environment(char** argv);
// The same, taking the arguments from /proc/self/cmdline: for code that has no argv at hand. Call
// it before any LibTorch work (the program restarts from main()).
void set_recommended_environment();

}  // namespace shrewd
