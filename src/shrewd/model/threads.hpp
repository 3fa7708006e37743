#pragma once

namespace shrewd::model {

// Sets LibTorch's intra-op threads (torch::set_num_threads) to `threads` (<= 0: all hardware
// threads) and its inter-op pool to 1 thread. Call once, early, before the first tensor operation.
//
// Two settings that matter on small CPUs live in the environment and are read once, when the
// OpenMP / OpenBLAS runtimes start (at the first parallel region or BLAS call, not at program
// load): OMP_WAIT_POLICY=PASSIVE (idle OpenMP threads sleep instead of spinning, which otherwise
// steals the cores that data-loading threads need) and OPENBLAS_NUM_THREADS=1 (LibTorch already
// parallelises around BLAS calls). set_recommended_environment() sets both, without overriding
// values the user set, and must run at the very start of main(), before any LibTorch call.
void configure_threads(int threads);
void set_recommended_environment();

}  // namespace shrewd::model
