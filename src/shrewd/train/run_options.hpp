#pragma once

#include "shrewd/data/load_dataset.hpp"
#include "shrewd/model/hash_model.hpp"
#include "shrewd/train/baselines/hashing_loss.hpp"
#include "shrewd/train/lr_schedule.hpp"
#include "shrewd/train/run_config.hpp"

namespace shrewd::train {

// What the libraries take, made from the configuration.
data::DataSource data_source(const DataConfig& data);  // the training part
model::HashModelOptions model_options(const ModelConfig& model);  // input_shape and classes empty
MethodSettings method_settings(const RunConfig& config);
LrSchedule lr_schedule(const RunConfig& config);

// The configuration with the values a run actually used where the configuration left them to the
// data or the model: the preprocessing with its normalisation (auto becomes fixed), the model
// section from the model's options (with the backbone's defaults in place of [] and 0).
RunConfig with_values_used(RunConfig config, const data::Preprocessing& preprocessing,
                           const model::HashModelOptions& model);

}  // namespace shrewd::train
