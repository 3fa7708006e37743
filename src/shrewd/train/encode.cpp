#include "shrewd/train/encode.hpp"

#include <fmt/format.h>

#include <vector>

#include "shrewd/common/error.hpp"
#include "shrewd/common/npy.hpp"
#include "shrewd/data/batch_loader.hpp"
#include "shrewd/train/progress_bar.hpp"

namespace shrewd::train {

torch::Tensor encode_outputs(model::HashModel& model, const torch::Tensor& inputs, torch::Device device,
                             std::int64_t batch_size) {
  const bool was_training = model->is_training();
  model->eval();
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> parts;
  for (std::int64_t begin = 0; begin < inputs.size(0); begin += batch_size) {
    auto batch = inputs.slice(0, begin, std::min(inputs.size(0), begin + batch_size)).to(device);
    parts.push_back(model->forward(batch).z.to(torch::kCPU, torch::kFloat));
  }
  model->train(was_training);
  if (parts.empty()) return torch::empty({0, model->options().bits}, torch::kFloat);
  return torch::cat(parts).contiguous();
}

data::Preprocessing model_preprocessing(const model::HashModel& model, const std::string& where) {
  if (model->preprocessing().empty()) return data::preprocessing_for_input_shape(model->options().input_shape);
  return data::preprocessing_from_json(model->preprocessing(), where + ": preprocessing");
}

torch::Tensor encode_dataset(model::HashModel& model, const data::Dataset& dataset,
                             const data::Preprocessing& preprocessing, torch::Device device, std::int64_t batch_size,
                             int workers, bool show_progress) {
  data::BatchOptions options;
  options.batch_size = batch_size;
  options.shuffle = false;
  options.workers = workers;
  options.preprocessing = preprocessing;
  data::BatchLoader loader(dataset, options);
  const auto& expected = model->options().input_shape;
  if (!expected.empty() && expected != loader.item_shape()) {
    fail(dataset.source, fmt::format("items are {} after preprocessing but the model takes {}",
                                     fmt::join(loader.item_shape(), "x"), fmt::join(expected, "x")));
  }
  const bool was_training = model->is_training();
  model->eval();
  torch::NoGradGuard no_grad;
  // Written in place batch by batch: the only memory that grows with the dataset is z itself.
  auto z = torch::empty({dataset.size(), model->options().bits}, torch::kFloat);
  ItemProgress progress("encode", dataset.size(), show_progress);
  std::int64_t done = 0;
  for (const auto& batch : loader) {
    const auto batch_z = model->forward(batch.inputs.to(device)).z;
    z.narrow(0, done, batch_z.size(0)).copy_(batch_z);
    progress.update(done += batch_z.size(0));
  }
  progress.finish();
  model->train(was_training);
  return z;
}

CodeMatrix codes_from_outputs(const torch::Tensor& z) {
  TORCH_CHECK(z.dim() == 2, "codes_from_outputs: z must be [N, K], got ", z.sizes());
  const auto values = z.to(torch::kCPU, torch::kFloat).contiguous();
  const auto n = static_cast<std::size_t>(values.size(0)), bits = static_cast<std::size_t>(values.size(1));
  const float* row = values.data_ptr<float>();
  CodeMatrix codes(bits, n);
  for (std::size_t i = 0; i < n; ++i, row += bits)
    for (std::size_t j = 0; j < bits; ++j) codes.set_bit(i, j, row[j] >= 0);
  return codes;
}

void write_outputs_npy(const std::filesystem::path& path, const torch::Tensor& z) {
  auto values = z.to(torch::kCPU, torch::kFloat).contiguous();
  write_npy(path, DType::Float32, {static_cast<std::size_t>(values.size(0)), static_cast<std::size_t>(values.size(1))},
            values.data_ptr<float>());
}

}  // namespace shrewd::train
