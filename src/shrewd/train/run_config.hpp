#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shrewd/data/load_dataset.hpp"
#include "shrewd/model/hash_model.hpp"
#include "shrewd/train/kl_divergence.hpp"
#include "shrewd/train/similarity_loss.hpp"
#include "shrewd/train/total_loss.hpp"

namespace shrewd::train {

// A training run's configuration. The JSON form (docs/training.md lists every key) is nested by
// section; every key has a default, every key can be overridden by "section.key=value".
nlohmann::json default_config();

// Merges `user` into `base`: unknown keys and values of the wrong type are Errors naming the key
// and `where` (a file name, "--set").
void merge_config(nlohmann::json& base, const nlohmann::json& user, const std::string& where);
// Applies one "section.key=value" override; the value is read as JSON when it parses, otherwise
// as a string (so --set train.out=runs/a works without quotes).
void apply_override(nlohmann::json& config, const std::string& assignment);
// The defaults, merged with the file (if not empty) and then the overrides.
nlohmann::json resolve_config(const std::filesystem::path& file, const std::vector<std::string>& overrides);

enum class TargetKind { Labels, Hierarchy, Embeddings };

struct TrainConfig {
  data::DataSource data;
  double validation_fraction = 0.1;
  std::uint64_t split_seed = 1;
  int workers = 1;
  int crop_padding = 0;
  bool horizontal_flip = false;
  std::vector<std::int64_t> train_classes;  // data.train_classes: train on these classes only (empty: all)
  std::int64_t train_subset = 0;            // data.train_subset: at most this many training items (0: all)

  model::HashModelOptions model;  // input_shape and classes are filled from the data
  bool classifier = true;

  std::string method = "shrewd";  // loss.method: the method or a baseline (baselines/hashing_loss.hpp)
  TargetKind targets = TargetKind::Hierarchy;
  std::filesystem::path hierarchy, classes;
  std::string hierarchy_measure = "lcs-height";
  bool angular = false;
  LossWeights weights;
  SimilarityLossOptions similarity;
  KlOptions kl;

  std::string optimizer = "adam";  // adam | sgd
  double lr = 1e-3, momentum = 0.9, weight_decay = 0;
  std::string schedule = "cosine";  // cosine | step | constant
  int step_epochs = 10;
  double gamma = 0.1;
  int warmup_epochs = 0;

  int epochs = 10;
  std::int64_t batch_size = 128;
  std::uint64_t seed = 1;
  int threads = 0;
  std::string device = "cpu";  // cpu | cuda
  std::filesystem::path out = "runs/run";
  bool progress = true;
  int log_every = 10;  // steps between step records in the log

  std::size_t map_at = 1000, ahp_at = 250;
};

// Reads and checks the resolved JSON; a bad value is an Error naming its key.
TrainConfig parse_config(const nlohmann::json& config);

}  // namespace shrewd::train
