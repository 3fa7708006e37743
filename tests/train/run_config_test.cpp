// The run configuration (src/shrewd/train/run_config.hpp, no LibTorch): defaults, merging and
// overrides, the checks of every key.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "shrewd/common/error.hpp"
#include "shrewd/train/run_config.hpp"
#include "support/error_of.hpp"
#include "support/temp_dir.hpp"

namespace shrewd::train {
namespace {

using nlohmann::json;
using shrewd::testing::error_of;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A JSON value's type, with signed and unsigned integers alike (merge_config treats them alike).
std::string kind(const json& value) {
  if (value.is_number_integer()) return "integer";
  return value.type_name();
}

// The error of parse_config after these overrides ("" when it parses).
std::string parse_error(const std::vector<std::string>& overrides) {
  auto config = default_config();
  for (const auto& assignment : overrides) apply_override(config, assignment);
  try {
    parse_config(config);
  } catch (const Error& error) {
    return error.what();
  }
  return {};
}

TEST(RunConfig, DefaultsKeepTheirJsonFormAndRoundTrip) {
  // The JSON form configs/ and experiments/ are written against: every key, its default and its
  // type (a float default takes any number, an integer one only integers).
  const auto expected = json::parse(R"({
    "data": {
      "format": "fashion-mnist", "path": "", "labels": "", "embeddings": "",
      "coarse_labels": false,
      "validation_fraction": 0.1, "split_seed": 1, "workers": 1,
      "train_classes": [], "train_subset": 0, "drop_classes": []
    },
    "preprocessing": {
      "channels": 0, "resize": 0, "crop": "none", "crop_size": 0, "crop_padding": 0, "flip": false,
      "normalize": "none", "mean": [], "std": []
    },
    "model": {
      "backbone": "cnn", "bits": 64, "classifier": true, "dropout": 0.0,
      "hidden": [], "channels": [], "convs_per_stage": 1, "feature_dim": 0
    },
    "loss": {
      "method": "shrewd", "targets": "hierarchy",
      "hierarchy": "", "classes": "",
      "hierarchy_measure": "lcs-height", "embedding_measure": "cosine",
      "w_ce": 1.0, "w_sim": 3.0, "w_kl": 0.01,
      "relative": true, "l1": false, "eps": 1e-6,
      "kl_mode": "per-bit", "kl_k": 1, "kl_sigma": 0.1, "kl_m": 0, "kl_eps": 1e-3
    },
    "optim": {
      "optimizer": "adam", "lr": 0.001, "momentum": 0.9, "weight_decay": 0.0,
      "schedule": "cosine", "step_epochs": 10, "gamma": 0.1, "warmup_epochs": 0,
      "backbone_lr_multiplier": 1.0, "freeze_backbone": false, "resume_schedule": "continue"
    },
    "train": {
      "epochs": 10, "batch_size": 128, "seed": 1, "threads": 0, "device": "cpu",
      "out": "runs/run", "progress": true, "log_every": 10
    },
    "validation": { "map_at": 1000, "ahp_at": 250 }
  })");
  const auto defaults = default_config();
  EXPECT_EQ(defaults, expected) << defaults.dump(2);
  for (const auto& [section, keys] : expected.items())
    for (const auto& [key, value] : keys.items())
      EXPECT_EQ(kind(defaults[section][key]), kind(value)) << section << "." << key;

  const auto parsed = parse_config(defaults);
  EXPECT_EQ(config_json(parsed), defaults);
  EXPECT_EQ(parsed.optim.schedule, Schedule::Cosine);
  EXPECT_EQ(parsed.loss.hierarchy_measure, semantics::HierarchyMeasure::LcsHeight);
  EXPECT_EQ(parsed.train.device, Device::Cpu);
}

TEST(RunConfig, TheRepositorysConfigsLoad) {
  // Run from the source tree (gtest_discover_tests sets the working directory to it).
  for (const char* file : {"configs/fashion-mnist-64.json"}) {
    if (!std::filesystem::exists(file)) GTEST_SKIP() << "not run from the source tree";
    const auto config = parse_config(resolve_config(file, {"data.train_subset=20000", "train.progress=false"}));
    EXPECT_EQ(config.model.convs_per_stage, 2);
    EXPECT_EQ(config.train.epochs, 15);
    EXPECT_DOUBLE_EQ(config.optim.lr, 0.002);
    EXPECT_TRUE(config.preprocessing.flip);
  }
}

TEST(RunConfig, UnknownKeysAndBadValuesGiveMessagesNamingTheKey) {
  auto config = default_config();
  EXPECT_TRUE(contains(error_of([&] { apply_override(config, "loss.w_foo=1"); }), "unknown key 'loss.w_foo'"));
  EXPECT_TRUE(contains(error_of([&] { apply_override(config, "train.epochs=ten"); }), "'train.epochs' must be an integer"));
  EXPECT_TRUE(contains(error_of([&] { apply_override(config, "train.lr=0.1"); }), "unknown key 'train.lr'"));
  EXPECT_TRUE(contains(error_of([&] { apply_override(config, "model.hidden=3"); }), "'model.hidden' must be a list"));
  EXPECT_TRUE(contains(error_of([&] { apply_override(config, "epochs"); }), "expected section.key=value"));
  EXPECT_TRUE(contains(parse_error({"model.bits=12"}), "model.bits"));
  EXPECT_TRUE(contains(parse_error({"model.convs_per_stage=0"}), "model.convs_per_stage"));
  EXPECT_TRUE(contains(parse_error({"model.hidden=[32, \"a\"]"}), "model.hidden: must be a list of integers"));
  EXPECT_TRUE(contains(parse_error({"loss.method=nope"}), "loss.method"));

  // parse_config checks a JSON it is given directly as well.
  auto extra = default_config();
  extra["train"]["epoch"] = 3;
  EXPECT_TRUE(contains(error_of([&] { parse_config(extra); }), "train.epoch: unknown key"));
  auto missing = default_config();
  missing["optim"].erase("lr");
  EXPECT_TRUE(contains(error_of([&] { parse_config(missing); }), "optim.lr: is missing"));
  auto wrong = default_config();
  wrong["train"]["progress"] = 1;
  EXPECT_TRUE(contains(error_of([&] { parse_config(wrong); }), "train.progress: must be a boolean"));

  testing::TempDir dir;
  testing::write_bytes(dir / "bad.json", R"({"train": {"epochs": 2}, "modle": {}})");
  EXPECT_TRUE(contains(error_of([&] { resolve_config(dir / "bad.json", {}); }), "unknown key 'modle'"));
  testing::write_bytes(dir / "broken.json", R"({"train": )");
  EXPECT_TRUE(contains(error_of([&] { resolve_config(dir / "broken.json", {}); }), "not valid JSON"));
}

TEST(RunConfig, OverridesApplyOnTopOfTheFileWithTypesChecked) {
  testing::TempDir dir;
  testing::write_bytes(dir / "run.json", R"({"train": {"epochs": 2, "out": "a"}, "loss": {"w_kl": 1}})");
  auto config = resolve_config(dir / "run.json",
                               {"train.epochs=7", "train.out=runs/b", "loss.kl_mode=joint", "model.convs_per_stage=2"});
  auto parsed = parse_config(config);
  EXPECT_EQ(parsed.model.convs_per_stage, 2);
  EXPECT_EQ(parsed.train.epochs, 7);
  EXPECT_EQ(parsed.train.out, "runs/b");
  EXPECT_DOUBLE_EQ(parsed.loss.w_kl, 1.0);  // an integer where a number is expected is fine
  EXPECT_EQ(parsed.loss.kl_mode, KlMode::Joint);
  EXPECT_EQ(parsed.train.batch_size, 128);  // default kept
  // A later override wins; a number given to a string key is kept as its text.
  apply_override(config, "train.epochs=9");
  apply_override(config, "train.out=123");
  parsed = parse_config(config);
  EXPECT_EQ(parsed.train.epochs, 9);
  EXPECT_EQ(parsed.train.out, "123");
}

// Found by fuzz/run_config_fuzz: a --set value that is not UTF-8 became a JSON string whose
// error message (or, for a string key, config.json) threw nlohmann's type_error naming nothing.
TEST(RunConfig, OverridesThatAreNotUtf8AreErrorsNamingTheOverride) {
  for (const std::string assignment : {"train.epochs=\xb6{}", "train.out=runs/\xff", "tra\xc3in.out=a"}) {
    auto config = default_config();
    const auto message = error_of([&] { apply_override(config, assignment); });
    EXPECT_TRUE(contains(message, "--set")) << message;
    EXPECT_TRUE(contains(message, "is not valid UTF-8 text")) << message;
    EXPECT_EQ(message.find_first_of("\x80\xb6\xc3\xff"), std::string::npos) << "raw bytes echoed: " << message;
  }
  auto config = default_config();
  apply_override(config, "train.out=runs/caf\xc3\xa9");  // UTF-8 is fine
  EXPECT_EQ(parse_config(config).train.out, "runs/caf\xc3\xa9");
}

TEST(RunConfig, WordsAreEnumsAndAnUnknownWordListsTheChoices) {
  auto config = default_config();
  for (const char* assignment : {"optim.optimizer=sgd", "optim.schedule=step", "train.device=cuda",
                                 "loss.hierarchy_measure=wu-palmer", "loss.embedding_measure=angular",
                                 "loss.kl_mode=joint", "loss.targets=embeddings"})
    apply_override(config, assignment);
  const auto parsed = parse_config(config);
  EXPECT_EQ(parsed.optim.optimizer, Optimizer::Sgd);
  EXPECT_EQ(parsed.optim.schedule, Schedule::Step);
  EXPECT_EQ(parsed.train.device, Device::Cuda);
  EXPECT_EQ(parsed.loss.hierarchy_measure, semantics::HierarchyMeasure::WuPalmer);
  EXPECT_EQ(parsed.loss.embedding_measure, semantics::EmbeddingMeasure::Angular);
  EXPECT_EQ(parsed.loss.kl_mode, KlMode::Joint);
  EXPECT_EQ(parsed.loss.targets, TargetKind::Embeddings);
  EXPECT_EQ(config_json(parsed), config);  // and they are written back as the same words

  const std::pair<const char*, const char*> unknown[] = {
      {"optim.optimizer=adagrad", "config optim.optimizer: unknown value 'adagrad' (expected adam or sgd)"},
      {"optim.schedule=linear", "config optim.schedule: unknown value 'linear' (expected cosine, step or constant)"},
      {"train.device=tpu", "config train.device: unknown value 'tpu' (expected cpu or cuda)"},
      {"loss.hierarchy_measure=resnik",
       "config loss.hierarchy_measure: unknown value 'resnik' (expected lcs-height or wu-palmer)"},
      {"loss.embedding_measure=l2", "config loss.embedding_measure: unknown value 'l2' (expected cosine or angular)"},
      {"loss.kl_mode=both", "config loss.kl_mode: unknown value 'both' (expected per-bit or joint)"},
      {"loss.targets=words", "config loss.targets: unknown value 'words' (expected labels, hierarchy or embeddings)"},
  };
  for (const auto& [assignment, message] : unknown)
    EXPECT_TRUE(contains(parse_error({assignment}), message)) << assignment << ": " << parse_error({assignment});
}

TEST(RunConfig, NumbersOutOfRangeAreErrorsNamingTheKey) {
  const std::pair<const char*, const char*> cases[] = {
      {"train.epochs=4294967297", "train.epochs"},  // was truncated to 1 epoch
      {"train.epochs=0", "train.epochs"},
      {"validation.map_at=-1", "validation.map_at"},  // was 2^64 - 1
      {"validation.ahp_at=-1", "validation.ahp_at"},
      {"train.seed=-1", "train.seed"},
      {"data.split_seed=-1", "data.split_seed"},
      {"optim.gamma=-0.5", "optim.gamma"},
      {"optim.momentum=-0.9", "optim.momentum"},
      {"optim.weight_decay=-1", "optim.weight_decay"},
      {"train.threads=-1", "train.threads"},
      {"data.workers=-1", "data.workers"},
      {"data.workers=100000", "data.workers"},  // aborted the run while the loader's threads started
      {"optim.lr=-0.1", "optim.lr"},
      {"optim.lr=0", "optim.lr"},
      {"optim.lr=1e308", "optim.lr"},  // was "cannot be converted to float" in the first step
      {"optim.step_epochs=0", "optim.step_epochs"},
      {"optim.warmup_epochs=-1", "optim.warmup_epochs"},
      {"optim.backbone_lr_multiplier=0", "optim.backbone_lr_multiplier"},  // freeze_backbone says that
      {"train.batch_size=1", "train.batch_size"},
      {"train.batch_size=9223372036854775807", "train.batch_size"},
      {"train.log_every=0", "train.log_every"},
      {"data.validation_fraction=1", "data.validation_fraction"},
      {"preprocessing.channels=2", "preprocessing.channels"},
      {"preprocessing.crop_size=4097", "preprocessing.crop_size"},
      {"preprocessing.crop=middle", "preprocessing.crop"},
      {"preprocessing.mean=[0.5, \"a\"]", "preprocessing.mean"},
      {"preprocessing.normalize=fixed", "preprocessing.mean"},  // without mean and std
      {"preprocessing.mean=[0.5]", "preprocessing.mean"},      // given but normalize is none
      {"data.train_classes=[0, -1]", "data.train_classes"},
      {"model.dropout=1", "model.dropout"},
      {"model.feature_dim=-1", "model.feature_dim"},
      {"model.channels=[16, 0]", "model.channels"},
      {"loss.kl_eps=0", "loss.kl_eps"},
      {"loss.kl_k=0", "loss.kl_k"},
      {"loss.w_sim=-1", "loss.w_sim"},
      {"validation.ahp_at=1", "validation.ahp_at"},
  };
  for (const auto& [assignment, key] : cases) {
    const auto message = parse_error({assignment});
    EXPECT_TRUE(contains(message, std::string("config ") + key + ":")) << assignment << " gave '" << message << "'";
  }
  EXPECT_TRUE(contains(parse_error({"train.epochs=4294967297"}), "out of range: 4294967297"));
  EXPECT_TRUE(contains(parse_error({"train.seed=-1"}), "(must be >= 0)"));
  EXPECT_TRUE(contains(parse_error({"data.workers=100000"}), "must be in 0..256, got 100000"));
  EXPECT_TRUE(contains(parse_error({"optim.lr=1e308"}), "must be in (0, 10], got 1e+308"));

  // The largest values that are allowed.
  EXPECT_EQ(parse_error({"train.seed=18446744073709551615", "data.workers=256", "optim.gamma=1", "optim.lr=10"}), "");
}

TEST(RunConfig, EveryNumberHasARange) {
  // Each number of the defaults, set far below and far above anything sensible, is an Error
  // naming its key: -1e300 or the smallest int64, 1e300 or the largest int64 (allowed only where
  // the key means a count without a bound: seeds, cut-offs, the subset size).
  const std::vector<std::string> unbounded_above = {"data.train_subset", "data.split_seed", "train.seed",
                                                    "validation.map_at", "validation.ahp_at"};
  const auto defaults = default_config();
  int numbers = 0;
  for (const auto& [section, keys] : defaults.items()) {
    for (const auto& [key, value] : keys.items()) {
      if (!value.is_number()) continue;
      ++numbers;
      const std::string name = section + "." + key;
      const bool floating = value.is_number_float();
      const std::string low = floating ? "-1e300" : "-9223372036854775808";
      const std::string high = floating ? "1e300" : "9223372036854775807";
      EXPECT_TRUE(contains(parse_error({name + "=" + low}), "config " + name + ":")) << name << "=" << low;
      if (std::find(unbounded_above.begin(), unbounded_above.end(), name) != unbounded_above.end()) continue;
      EXPECT_TRUE(contains(parse_error({name + "=" + high}), "config " + name + ":")) << name << "=" << high;
    }
  }
  EXPECT_EQ(numbers, 34);
}

TEST(RunConfig, KeysThatMovedToPreprocessingSayWhere) {
  const auto merge_error = [](const std::string& assignment) {
    auto config = default_config();
    try {
      apply_override(config, assignment);
    } catch (const Error& error) {
      return std::string(error.what());
    }
    return std::string();
  };
  EXPECT_TRUE(contains(merge_error("data.image_size=64"), "'data.image_size' is now preprocessing.resize"));
  EXPECT_TRUE(contains(merge_error("data.horizontal_flip=true"), "'data.horizontal_flip' is now preprocessing.flip"));
  EXPECT_TRUE(contains(merge_error("data.channels=1"), "is now preprocessing.channels"));
  EXPECT_TRUE(contains(merge_error("data.crop_padding=4"), "is now preprocessing.crop_padding"));
  EXPECT_EQ(parse_error({"preprocessing.normalize=fixed", "preprocessing.mean=[0.5, 0.4, 0.3]",
                         "preprocessing.std=[0.2, 0.2, 0.2]", "preprocessing.resize=72", "preprocessing.crop=random",
                         "preprocessing.crop_size=64"}),
            "");
}

}  // namespace
}  // namespace shrewd::train
