#pragma once

#include <cstdint>
#include <filesystem>

#include <torch/torch.h>

#include "shrewd/codes/code_matrix.hpp"
#include "shrewd/model/hash_model.hpp"

namespace shrewd::train {

// The continuous outputs z (float32 [N, K], on the CPU) of the model for inputs [N, ...], in
// evaluation mode, batch by batch on `device`. The model's training flag is restored afterwards.
torch::Tensor encode_outputs(model::HashModel& model, const torch::Tensor& inputs, torch::Device device,
                             std::int64_t batch_size = 512);

// The binary codes of z [N, K]: bit j is 1 where z[:, j] >= 0.
CodeMatrix codes_from_outputs(const torch::Tensor& z);

// Writes z as float32 [N, K] .npy, atomically.
void write_outputs_npy(const std::filesystem::path& path, const torch::Tensor& z);

}  // namespace shrewd::train
