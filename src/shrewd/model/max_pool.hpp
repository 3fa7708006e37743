#pragma once

#include <ATen/core/Tensor.h>

namespace shrewd::model {

// 2x2 max pooling with stride 2 (odd sizes rounded down), the same values and gradients as
// max_pool2d(x, 2) (on ties the first maximum in row-major order gets the gradient). On CPU float32
// it runs a direct kernel that keeps a 1-byte argmax per output instead of LibTorch's int64
// indices, several times faster than LibTorch 1.13's max_pool2d; elsewhere it is max_pool2d.
// Channels-last inputs stay channels-last (output and gradient), others become contiguous NCHW.
at::Tensor max_pool_2x2(const at::Tensor& x);

}  // namespace shrewd::model
