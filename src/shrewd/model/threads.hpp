#pragma once

namespace shrewd::model {

// Sets LibTorch's intra-op threads (torch::set_num_threads) to `threads` (<= 0: all hardware
// threads) and its inter-op pool to 1 thread. Call once, early, before the first tensor operation.
//
// The environment variables LibTorch's runtimes need (OMP_WAIT_POLICY, OPENBLAS_NUM_THREADS) are set
// by common/recommended_environment.hpp before the process starts.
void configure_threads(int threads);

}  // namespace shrewd::model
