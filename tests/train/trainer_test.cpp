#include <gtest/gtest.h>
#include <torch/torch.h>

#include <fstream>
#include <string>
#include <vector>

#include "shrewd/codes/code_npy.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/common/npy.hpp"
#include "shrewd/model/hash_model.hpp"
#include "shrewd/train/checkpoint.hpp"
#include "shrewd/train/encode.hpp"
#include "shrewd/train/run_config.hpp"
#include "shrewd/train/trainer.hpp"
#include "support/error_of.hpp"
#include "support/temp_dir.hpp"

namespace shrewd::train {
namespace {

using nlohmann::json;

// Four well-separated Gaussian clusters in 16 dimensions, written as .npy features + labels.
void write_clusters(const testing::TempDir& dir, std::int64_t n) {
  torch::manual_seed(21);
  auto labels = torch::arange(n, torch::kLong) % 4;
  auto centres = torch::randn({4, 16}) * 3;
  auto features = (centres.index_select(0, labels) + torch::randn({n, 16})).contiguous();
  write_npy(dir / "x.npy", DType::Float32, {static_cast<std::size_t>(n), 16}, features.data_ptr<float>());
  write_npy(dir / "y.npy", DType::Int64, {static_cast<std::size_t>(n)}, labels.data_ptr<std::int64_t>());
}

json tiny_run(const testing::TempDir& dir, int epochs) {
  auto config = default_config();
  merge_config(config, json::parse(R"({
    "data": {"format": "npy", "validation_fraction": 0.25, "workers": 0},
    "model": {"backbone": "mlp", "bits": 16, "hidden": [32]},
    "loss": {"targets": "labels", "w_kl": 0.05},
    "optim": {"lr": 0.01},
    "train": {"batch_size": 32, "threads": 1, "progress": false, "log_every": 1},
    "validation": {"map_at": 50, "ahp_at": 20}
  })"), "test");
  config["data"]["path"] = (dir / "x.npy").string();
  config["data"]["labels"] = (dir / "y.npy").string();
  config["train"]["out"] = (dir / "run").string();
  config["train"]["epochs"] = epochs;
  return config;
}

std::vector<json> epoch_records(const std::filesystem::path& log) {
  std::vector<json> records;
  std::ifstream in(log);
  for (std::string line; std::getline(in, line);) {
    auto record = json::parse(line);
    if (record["type"] == "epoch") records.push_back(record);
  }
  return records;
}

TEST(Trainer, TinyRunReducesTheLossWritesAModelAndResumesFromItsCheckpoint) {
  testing::TempDir dir;
  write_clusters(dir, 256);
  auto summary = run_training(tiny_run(dir, 3));
  ASSERT_EQ(summary.epochs_done, 3);
  auto epochs = epoch_records(summary.files.log());
  ASSERT_EQ(epochs.size(), 3u);
  EXPECT_LT(epochs[2]["loss"].get<double>(), epochs[0]["loss"].get<double>());
  EXPECT_GT(epochs[2]["val_map"].get<double>(), 0.9);  // separable clusters
  EXPECT_TRUE(std::filesystem::exists(summary.files.config()));
  EXPECT_EQ(json::parse(testing::read_bytes(summary.files.config()))["train"]["epochs"], 3);

  auto model = model::load_model(summary.files.model());
  EXPECT_EQ(model->options().bits, 16);
  auto info = read_checkpoint_info(summary.files.checkpoint());
  EXPECT_EQ(info.epochs_done, 3);

  // Continue for two more epochs from the checkpoint: the log gains epochs 4 and 5.
  auto resumed = run_training(tiny_run(dir, 5), summary.files.checkpoint());
  EXPECT_EQ(resumed.epochs_done, 5);
  epochs = epoch_records(summary.files.log());
  ASSERT_EQ(epochs.size(), 5u);
  EXPECT_EQ(epochs[3]["epoch"], 4);
  EXPECT_LT(epochs[4]["loss"].get<double>(), epochs[0]["loss"].get<double>());
  EXPECT_EQ(read_checkpoint_info(summary.files.checkpoint()).epochs_done, 5);

  // A checkpoint that already holds every epoch asked for says so.
  EXPECT_THROW(run_training(tiny_run(dir, 5), summary.files.checkpoint()), Error);
}

TEST(Encode, CodesArePackbitsOfTheSignAndFeaturesAreFloat32) {
  testing::TempDir dir;
  auto z = torch::tensor({0.5f, -0.1f, 0.0f, -0.9f, 0.2f, 0.3f, -0.4f, 0.6f,   // 1 0 1 0 1 1 0 1
                          -0.5f, -0.1f, -0.2f, -0.9f, -0.2f, -0.3f, -0.4f, 0.6f})  // 0 0 0 0 0 0 0 1
               .reshape({2, 8});
  write_codes_npy(dir / "codes.npy", codes_from_outputs(z));
  auto array = read_npy(dir / "codes.npy");
  ASSERT_EQ(array.shape, (std::vector<std::size_t>{2, 1}));
  auto bytes = array.values<std::uint8_t>();
  EXPECT_EQ(bytes[0], 0b10101101);
  EXPECT_EQ(bytes[1], 0b00000001);

  write_outputs_npy(dir / "z.npy", z);
  auto features = read_npy(dir / "z.npy");
  EXPECT_EQ(features.dtype, DType::Float32);
  ASSERT_EQ(features.shape, (std::vector<std::size_t>{2, 8}));
  EXPECT_FLOAT_EQ(features.values<float>()[3], -0.9f);
}

using shrewd::testing::error_of;

TEST(RunConfig, UnknownKeysAndBadValuesGiveMessagesNamingTheKey) {
  auto config = default_config();
  EXPECT_NE(error_of([&] { apply_override(config, "loss.w_foo=1"); }).find("unknown key 'loss.w_foo'"),
            std::string::npos);
  EXPECT_NE(error_of([&] { apply_override(config, "train.epochs=ten"); }).find("'train.epochs' must be an integer"),
            std::string::npos);
  EXPECT_NE(error_of([&] { apply_override(config, "epochs"); }).find("expected section.key=value"), std::string::npos);
  apply_override(config, "model.bits=12");
  EXPECT_NE(error_of([&] { parse_config(config); }).find("model.bits"), std::string::npos);
  config = default_config();
  apply_override(config, "model.convs_per_stage=0");
  EXPECT_NE(error_of([&] { parse_config(config); }).find("model.convs_per_stage"), std::string::npos);
  config = default_config();
  apply_override(config, "optim.optimizer=adagrad");
  EXPECT_NE(error_of([&] { parse_config(config); }).find("adagrad"), std::string::npos);

  testing::TempDir dir;
  testing::write_bytes(dir / "bad.json", R"({"train": {"epochs": 2}, "modle": {}})");
  EXPECT_NE(error_of([&] { resolve_config(dir / "bad.json", {}); }).find("unknown key 'modle'"), std::string::npos);
  testing::write_bytes(dir / "broken.json", R"({"train": )");
  EXPECT_NE(error_of([&] { resolve_config(dir / "broken.json", {}); }).find("not valid JSON"), std::string::npos);
}

TEST(RunConfig, OverridesApplyOnTopOfTheFileWithTypesChecked) {
  testing::TempDir dir;
  testing::write_bytes(dir / "run.json", R"({"train": {"epochs": 2, "out": "a"}, "loss": {"w_kl": 1}})");
  auto config = resolve_config(dir / "run.json",
                               {"train.epochs=7", "train.out=runs/b", "loss.kl_mode=joint", "model.convs_per_stage=2"});
  auto parsed = parse_config(config);
  EXPECT_EQ(parsed.model.convs_per_stage, 2);
  EXPECT_EQ(parsed.epochs, 7);
  EXPECT_EQ(parsed.out, "runs/b");
  EXPECT_DOUBLE_EQ(parsed.weights.kl, 1.0);  // an integer where a number is expected is fine
  EXPECT_EQ(parsed.kl.mode, KlMode::Joint);
  EXPECT_EQ(parsed.batch_size, 128);  // default kept
}

}  // namespace
}  // namespace shrewd::train
