// What the LibTorch libraries take from a run configuration (src/shrewd/train/run_options.hpp), and
// the values a run records in config.json.
#include <gtest/gtest.h>

#include "shrewd/train/run_options.hpp"

namespace shrewd::train {
namespace {

using nlohmann::json;

TEST(RunOptions, ValuesUsedFillWhatTheDataAndTheModelDecided) {
  auto config = parse_config(resolve_config({}, {"preprocessing.normalize=auto"}));
  data::Preprocessing computed;
  computed.mean = {0.25f};
  computed.std = {0.5f};
  model::HashModelOptions cnn;  // backbone cnn, channels [] and feature_dim 0
  cnn.bits = 32;
  cnn.convs_per_stage = 2;
  const auto used = config_json(with_values_used(config, computed, cnn));
  EXPECT_EQ(used["preprocessing"]["normalize"], "fixed");  // auto, as computed
  EXPECT_EQ(used["preprocessing"]["mean"], json::parse("[0.25]"));
  EXPECT_EQ(used["model"]["channels"], json::parse("[32, 64, 128]"));
  EXPECT_EQ(used["model"]["feature_dim"], 256);
  EXPECT_EQ(used["model"]["bits"], 32);
  EXPECT_EQ(used["model"]["convs_per_stage"], 2);
  // It is a configuration like any other: it reads back to the same values.
  auto reread = default_config();
  merge_config(reread, used, "config.json");
  EXPECT_EQ(config_json(parse_config(reread)), used);

  model::HashModelOptions mlp;
  mlp.backbone = "mlp";
  const auto used_mlp = config_json(with_values_used(config, data::Preprocessing{}, mlp));
  EXPECT_EQ(used_mlp["model"]["hidden"], json::parse("[512, 512]"));
  EXPECT_EQ(used_mlp["preprocessing"]["normalize"], "none");
}

}  // namespace
}  // namespace shrewd::train
