#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shrewd/data/preprocessing.hpp"
#include "shrewd/semantics/target_distances.hpp"
#include "shrewd/train/kl_mode.hpp"
#include "shrewd/train/lr_schedule.hpp"

namespace shrewd::train {

// A training run's configuration (docs/training.md lists every key). The structs below are the one
// definition of every key and its default: one struct per section of the JSON form, one member per
// key, named as the key. The defaults JSON (default_config), the parser (parse_config) and the
// config.json a run writes (config_json) are all made from them (run_config.cpp lists the members
// once for the JSON conversion). Words are enums, written as their JSON names. LibTorch-free (the
// library shrewd_run_config), so that every config is checked, and fuzzed, without it; what the
// LibTorch libraries take is made from a RunConfig in run_options.hpp.

enum class TargetKind { Labels, Hierarchy, Embeddings };
enum class Optimizer { Adam, Sgd };
enum class Device { Cpu, Cuda };

struct DataConfig {
  std::string format = "fashion-mnist";  // fashion-mnist | mnist | idx | cifar10 | cifar100 | image-folder | npy | captions
  std::string path, labels, embeddings;
  bool coarse_labels = false;
  double validation_fraction = 0.1;
  std::uint64_t split_seed = 1;
  int workers = 1;
  std::vector<std::int64_t> train_classes;  // train on these classes only (empty: all)
  std::int64_t train_subset = 0;            // at most this many training items (0: all)
  std::vector<std::string> drop_classes;    // classes left out of the data (class_files.hpp)
};

enum class Normalize { None, Auto, Fixed };

// The preprocessing section: data::Preprocessing's keys (channels, resize, crop, crop_size,
// crop_padding, flip, mean, std) and where mean and std come from. In config.json and the model
// file: the values used (auto becomes fixed with the computed mean and std).
struct PreprocessingConfig : data::Preprocessing {
  Normalize normalize = Normalize::None;  // none | auto (data::with_computed_normalization) | fixed (mean, std)
};

struct ModelConfig {
  std::string backbone = "cnn";  // cnn | resnet18 | mlp | a TorchScript .pt file
  std::int64_t bits = 64;
  bool classifier = true;
  double dropout = 0.0;
  std::vector<std::int64_t> hidden;    // mlp (empty: the model's default; config.json shows it)
  std::vector<std::int64_t> channels;  // cnn (empty: the model's default; config.json shows it)
  std::int64_t convs_per_stage = 1;
  std::int64_t feature_dim = 0;  // cnn (0: the model's default; config.json shows it)
};

struct LossConfig {
  std::string method = "shrewd";  // the method or a baseline (baselines/hashing_loss.hpp)
  TargetKind targets = TargetKind::Hierarchy;
  std::string hierarchy;  // empty: the shipped one for data.format (class_files.hpp)
  std::string classes;    // labels follow this file by name when set
  semantics::HierarchyMeasure hierarchy_measure = semantics::HierarchyMeasure::LcsHeight;
  semantics::EmbeddingMeasure embedding_measure = semantics::EmbeddingMeasure::Cosine;
  double w_ce = 1.0, w_sim = 3.0, w_kl = 0.01;
  bool relative = true, l1 = false;
  double eps = 1e-6;
  KlMode kl_mode = KlMode::PerBit;
  int kl_k = 1;
  double kl_sigma = 0.1;
  std::int64_t kl_m = 0;
  double kl_eps = 1e-3;
};

struct OptimConfig {
  Optimizer optimizer = Optimizer::Adam;
  double lr = 0.001, momentum = 0.9, weight_decay = 0.0;
  Schedule schedule = Schedule::Cosine;
  int step_epochs = 10;
  double gamma = 0.1;
  int warmup_epochs = 0;
  double backbone_lr_multiplier = 1.0;  // the backbone's rate: lr x this (parameter_groups.hpp)
  bool freeze_backbone = false;         // the backbone does not train (nor its BatchNorm statistics)
  ResumeSchedule resume_schedule = ResumeSchedule::Continue;  // --resume with more epochs (lr_schedule.hpp)
};

struct TrainSection {
  int epochs = 10;
  std::int64_t batch_size = 128;
  std::uint64_t seed = 1;
  int threads = 0;  // 0: all cores
  Device device = Device::Cpu;
  std::string out = "runs/run";
  bool progress = true;
  int log_every = 10;  // steps between step records in the log
};

struct ValidationConfig {
  std::uint64_t map_at = 1000, ahp_at = 250;
};

struct RunConfig {
  DataConfig data;
  PreprocessingConfig preprocessing;
  ModelConfig model;
  LossConfig loss;
  OptimConfig optim;
  TrainSection train;
  ValidationConfig validation;
};

// The JSON form of a configuration; default_config() is that of RunConfig{}.
nlohmann::json config_json(const RunConfig& config);
nlohmann::json default_config();

// Merges `user` into `base`: unknown keys and values of the wrong type are Errors naming the key
// and `where` (a file name, "--set").
void merge_config(nlohmann::json& base, const nlohmann::json& user, const std::string& where);
// Applies one "section.key=value" override; the value is read as JSON when it parses, otherwise
// as a string (so --set train.out=runs/a works without quotes).
void apply_override(nlohmann::json& config, const std::string& assignment);
// The defaults, merged with the file (if not empty) and then the overrides.
nlohmann::json resolve_config(const std::filesystem::path& file, const std::vector<std::string>& overrides);

// Reads and checks a resolved JSON configuration: a missing or unknown key, a value of the wrong
// type, an unknown word (the Error lists the choices) or a number out of its range is an Error
// naming the key.
RunConfig parse_config(const nlohmann::json& config);

}  // namespace shrewd::train
