#include "shrewd/model/device.hpp"

#include "shrewd/common/error.hpp"

namespace shrewd::model {

torch::Device choose_device(bool cuda, const std::string& option) {
  if (!cuda) return torch::Device(torch::kCPU);
  if (!torch::cuda::is_available()) fail(option, "cuda requested but LibTorch sees no CUDA device");
  return torch::Device(torch::kCUDA);
}

}  // namespace shrewd::model
