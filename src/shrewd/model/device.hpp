#pragma once

#include <string>

#include <torch/torch.h>

namespace shrewd::model {

// The device to run on: CUDA when asked for (an Error naming `option` when LibTorch sees no CUDA
// device), the CPU otherwise.
torch::Device choose_device(bool cuda, const std::string& option);

}  // namespace shrewd::model
