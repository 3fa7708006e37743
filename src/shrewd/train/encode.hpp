#pragma once

#include <cstdint>
#include <filesystem>

#include <torch/torch.h>

#include "shrewd/codes/code_matrix.hpp"
#include "shrewd/data/dataset.hpp"
#include "shrewd/data/preprocessing.hpp"
#include "shrewd/model/hash_model.hpp"

namespace shrewd::train {

// The continuous outputs z (float32 [N, K], on the CPU) of the model for inputs [N, ...], in
// evaluation mode, batch by batch on `device`. The model's training flag is restored afterwards.
torch::Tensor encode_outputs(model::HashModel& model, const torch::Tensor& inputs, torch::Device device,
                             std::int64_t batch_size = 512);

// The preprocessing the model's inputs take: the one stored in its file, or for files saved before
// it was stored data::preprocessing_for_input_shape. `where` names the model in Errors.
data::Preprocessing model_preprocessing(const model::HashModel& model, const std::string& where);

// z of every item of `dataset`, in order: the items decoded and prepared (evaluation: no random
// parts) by `workers` threads of a data::BatchLoader, batch by batch. The training's validation,
// `shrewd encode` and the data behind them all go through here. An Error naming the dataset when
// the prepared items do not have the model's input shape. With `show_progress`, the items done,
// items/s, elapsed time and time left go to stderr (train::ItemProgress).
torch::Tensor encode_dataset(model::HashModel& model, const data::Dataset& dataset,
                             const data::Preprocessing& preprocessing, torch::Device device,
                             std::int64_t batch_size = 512, int workers = 1, bool show_progress = false);

// The binary codes of z [N, K]: bit j is 1 where z[:, j] >= 0.
CodeMatrix codes_from_outputs(const torch::Tensor& z);

// Writes z as float32 [N, K] .npy, atomically.
void write_outputs_npy(const std::filesystem::path& path, const torch::Tensor& z);

}  // namespace shrewd::train
