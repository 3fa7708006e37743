#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "shrewd/codes/code_npy.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/common/npy.hpp"
#include "shrewd/model/hash_model.hpp"
#include "shrewd/train/checkpoint.hpp"
#include "shrewd/train/encode.hpp"
#include "shrewd/train/run_options.hpp"
#include "shrewd/train/trainer.hpp"
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
  // config.json holds the values used (the mlp's hidden sizes as given), and reads back as a config.
  const auto used = json::parse(testing::read_bytes(summary.files.config()));
  EXPECT_EQ(used["train"]["epochs"], 3);
  EXPECT_EQ(used["model"]["hidden"], json::parse("[32]"));
  auto reread = default_config();
  merge_config(reread, used, "config.json");
  EXPECT_EQ(config_json(parse_config(reread)), used);

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

std::vector<json> records_of_type(const std::filesystem::path& log, const std::string& type) {
  std::vector<json> records;
  std::ifstream in(log);
  for (std::string line; std::getline(in, line);) {
    auto record = json::parse(line);
    if (record["type"] == type) records.push_back(record);
  }
  return records;
}

TEST(Trainer, TheLogStartsWithASummaryAndCarriesElapsedTimeAndTimeLeft) {
  testing::TempDir dir;
  write_clusters(dir, 256);
  auto summary = run_training(tiny_run(dir, 2));
  const auto starts = records_of_type(summary.files.log(), "start");
  ASSERT_EQ(starts.size(), 1u);
  const auto& start = starts[0];
  EXPECT_EQ(start["train_items"], 192);  // 256 less the validation quarter
  EXPECT_EQ(start["validation_items"], 64);
  EXPECT_EQ(start["classes"], 4);
  EXPECT_EQ(start["input_shape"], json::parse("[16]"));
  EXPECT_EQ(start["feature_dim"], 32);
  EXPECT_EQ(start["parameters"], 16 * 32 + 32 + 32 * 16 + 16 + 16 * 4 + 4);  // mlp, hash layer, classifier
  EXPECT_EQ(start["trained_parameters"], start["parameters"]);
  EXPECT_EQ(start["device"], "cpu");
  EXPECT_EQ(start["threads"], 1);
  EXPECT_EQ(start["steps_per_epoch"], 6);
  const auto epochs = epoch_records(summary.files.log());
  ASSERT_EQ(epochs.size(), 2u);
  EXPECT_GT(epochs[0]["elapsed_s"].get<double>(), 0);
  EXPECT_GE(epochs[0]["eta_s"].get<double>(), 0);  // one epoch of two left
  EXPECT_EQ(epochs[1]["eta_s"].get<double>(), 0);
  EXPECT_GE(epochs[1]["elapsed_s"].get<double>(), epochs[0]["elapsed_s"].get<double>());
  for (const auto& step : records_of_type(summary.files.log(), "step")) EXPECT_TRUE(step.contains("eta_s"));

  // With the backbone frozen, the summary counts only the head's parameters as trained.
  auto frozen = tiny_run(dir, 1);
  frozen["optim"]["freeze_backbone"] = true;
  frozen["train"]["out"] = (dir / "frozen").string();
  const auto frozen_start = records_of_type(run_training(frozen).files.log(), "start").at(0);
  EXPECT_EQ(frozen_start["trained_parameters"], 32 * 16 + 16 + 16 * 4 + 4);
}

TEST(Trainer, AnExistingRunIsNeverOverwrittenSilently) {
  testing::TempDir dir;
  write_clusters(dir, 256);
  const auto first = run_training(tiny_run(dir, 1));
  const auto model_bytes = testing::read_bytes(first.files.model());
  try {
    run_training(tiny_run(dir, 1));
    ADD_FAILURE() << "a second run into the same train.out went ahead";
  } catch (const Error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("config train.out"), std::string::npos) << message;
    EXPECT_NE(message.find("already holds a run"), std::string::npos) << message;
    EXPECT_NE(message.find("--overwrite"), std::string::npos) << message;
  }
  EXPECT_EQ(testing::read_bytes(first.files.model()), model_bytes);  // untouched
  auto other_seed = tiny_run(dir, 1);
  other_seed["train"]["seed"] = 7;
  run_training(other_seed, {}, {}, /*overwrite=*/true);  // said explicitly: replaced
  EXPECT_NE(testing::read_bytes(first.files.model()), model_bytes);
  EXPECT_EQ(records_of_type(first.files.log(), "start").size(), 1u);  // a fresh log
}

TEST(Trainer, ResumingWithMoreEpochsKeepsTheLearningRateContinuous) {
  testing::TempDir dir;
  write_clusters(dir, 256);
  auto interrupted = tiny_run(dir, 4);
  const auto first = run_training(interrupted);
  // The first run had 4 epochs; its checkpoint is resumed with 8: the rate at the first resumed
  // step is the one the 4-epoch schedule had there, not the 8-epoch schedule's (a jump up).
  auto longer = tiny_run(dir, 8);
  run_training(longer, first.files.checkpoint());
  const auto resumes = records_of_type(first.files.log(), "resume");
  ASSERT_EQ(resumes.size(), 1u);
  const std::int64_t step = 4 * 6;
  EXPECT_EQ(resumes[0]["step"], step);
  const double old_rate = lr_schedule(parse_config(interrupted))(step, 6);
  EXPECT_DOUBLE_EQ(resumes[0]["lr"].get<double>(), old_rate);
  EXPECT_LT(old_rate, 0.01 * 0.01);  // the finished 4-epoch cosine had reached 0
  EXPECT_NE(resumes[0]["schedule"].get<std::string>().find("train.epochs 4 -> 8"), std::string::npos);
  // The step records after the resume follow on from there.
  const auto step_records = records_of_type(first.files.log(), "step");
  const auto after = std::find_if(step_records.begin(), step_records.end(), [&](const json& r) { return r["step"] == step + 1; });
  ASSERT_NE(after, step_records.end());
  EXPECT_LE(after->at("lr").get<double>(), old_rate + 1e-12);
  // The checkpoint keeps the restart, so a resume that changes nothing stays on the same curve.
  EXPECT_EQ(read_checkpoint_info(first.files.checkpoint()).lr_restart_step, step);

  // optim.resume_schedule=restart: a new cosine from optim.lr over the added epochs instead.
  testing::TempDir other;
  write_clusters(other, 256);
  const auto second = run_training(tiny_run(other, 4));
  auto restart = tiny_run(other, 8);
  restart["optim"]["resume_schedule"] = "restart";
  run_training(restart, second.files.checkpoint());
  const auto restarted = records_of_type(second.files.log(), "resume").at(0);
  EXPECT_DOUBLE_EQ(restarted["lr"].get<double>(), 0.01);
  EXPECT_NE(restarted["schedule"].get<std::string>().find("restart"), std::string::npos);
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

}  // namespace
}  // namespace shrewd::train
