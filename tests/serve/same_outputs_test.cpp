// One preprocessing, stored with the model: the same image file gives the same z and the same code
// through training's validation path, `shrewd encode` and an upload to `shrewd serve` (bit for bit
// when all three encode one image at a time; to float rounding across batch sizes).
#include <gtest/gtest.h>
#include <stb_image_write.h>
#include <torch/torch.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstdlib>
#include <random>

#include <nlohmann/json.hpp>

#include "shrewd/common/npy.hpp"
#include "shrewd/common/read_file.hpp"
#include "shrewd/data/image_folder.hpp"
#include "shrewd/data/split.hpp"
#include "shrewd/model/hash_model.hpp"
#include "shrewd/serve/torch_support.hpp"
#include "shrewd/train/encode.hpp"
#include "shrewd/train/run_config.hpp"
#include "shrewd/train/trainer.hpp"
#include "support/temp_dir.hpp"

namespace shrewd {
namespace {

using nlohmann::json;

// Two classes of noise images in several sizes, PNG and JPEG, colour and grey.
void write_folder(const std::filesystem::path& root) {
  std::mt19937 random(17);
  for (const char* name : {"cats", "dogs"}) {
    std::filesystem::create_directories(root / name);
    for (int i = 0; i < 6; ++i) {
      const int width = 23 + 3 * i, height = 19 + i, channels = i == 4 ? 1 : 3;
      std::vector<std::uint8_t> pixels(std::size_t(width * height * channels));
      for (auto& p : pixels) p = std::uint8_t(random() % 256);
      const auto path = root / name / ("img" + std::to_string(i) + (i % 2 ? ".jpg" : ".png"));
      if (i % 2)
        ASSERT_TRUE(stbi_write_jpg(path.c_str(), width, height, channels, pixels.data(), 90));
      else
        ASSERT_TRUE(stbi_write_png(path.c_str(), width, height, channels, pixels.data(), 0));
    }
  }
}

TEST(SameOutputs, ValidationEncodeAndServeGiveTheSameZForTheSameFile) {
  testing::TempDir dir;
  write_folder(dir / "images");
  auto config = train::default_config();
  train::merge_config(config, json::parse(R"({
    "data": {"format": "image-folder", "validation_fraction": 0.5, "workers": 2},
    "preprocessing": {"channels": 3, "resize": 20, "crop": "random", "crop_size": 16, "flip": true,
                      "normalize": "auto"},
    "model": {"backbone": "cnn", "bits": 16, "channels": [4, 8], "feature_dim": 16},
    "loss": {"targets": "labels"},
    "train": {"epochs": 1, "batch_size": 3, "threads": 1, "progress": false},
    "validation": {"map_at": 6, "ahp_at": 6}
  })"), "test");
  config["data"]["path"] = (dir / "images").string();
  config["train"]["out"] = (dir / "run").string();
  const auto summary = train::run_training(config);
  const auto model_file = summary.files.model();

  // Training's validation path: the run's validation split, through train::encode_dataset with the
  // preprocessing the run used (its config.json: auto normalisation as computed).
  const auto used = train::parse_config(json::parse(read_file(summary.files.config())));
  ASSERT_EQ(used.preprocessing.normalize, train::Normalize::Fixed);
  const auto all = data::read_image_folder(dir / "images");
  const auto validation = data::split_validation(all, used.data.validation_fraction, used.data.split_seed).second;
  auto model = model::load_model(model_file);
  const auto validation_z = train::encode_dataset(model, validation, used.preprocessing, torch::kCPU, used.train.batch_size, 2);

  // `shrewd encode`, as a user runs it: the preprocessing comes from the model file.
  const auto shrewd_encode = [&](int batch_size) {
    const auto z_file = dir / ("z-" + std::to_string(batch_size) + ".npy");
    const std::string command = std::string(SHREWD_PROGRAM) + " encode --model " + model_file.string() +
                                " --data image-folder --path " + (dir / "images").string() + " --out " +
                                (dir / "codes.npy").string() + " --features " + z_file.string() + " --batch-size " +
                                std::to_string(batch_size) + " --workers 1 --threads 1 > " +
                                (dir / "encode.log").string() + " 2>&1";
    EXPECT_EQ(std::system(command.c_str()), 0) << read_file(dir / "encode.log");
    std::size_t rows = 0, columns = 0;
    auto z = read_npy_matrix_f32(z_file, rows, columns);
    EXPECT_EQ(rows, all.image_files.size());
    EXPECT_EQ(columns, 16u);
    z.resize(all.image_files.size() * 16);
    return z;
  };
  const auto encoded_z = shrewd_encode(5);
  // The same with one image at a time, the batch size of an upload.
  const auto validation_one = train::encode_dataset(model, validation, used.preprocessing, torch::kCPU, 1, 2);
  const auto encoded_one = shrewd_encode(1);

  // An upload to `shrewd serve --model`: the file's bytes through the service's decoder and encoder.
  const auto encoder = serve::load_model_encoder(model_file);

  ASSERT_EQ(validation.size(), 6);
  for (std::int64_t v = 0; v < validation.size(); ++v) {
    const auto& file = validation.image_files[std::size_t(v)];
    const auto row = std::size_t(std::find(all.image_files.begin(), all.image_files.end(), file) - all.image_files.begin());
    const auto uploaded = encoder->outputs(serve::decode_image(read_file(file)));
    ASSERT_EQ(uploaded.size(), 16u);
    for (std::size_t k = 0; k < 16; ++k) {
      // The same prepared input everywhere; across batch sizes (validation: 3 items at once, encode:
      // 5, upload: 1) z agrees to float rounding only: LibTorch's CPU kernels sum in another order.
      const float from_validation = validation_z[v][std::int64_t(k)].item<float>();
      EXPECT_NEAR(from_validation, encoded_z[row * 16 + k], 1e-6f) << file << " bit " << k << " (encode)";
      EXPECT_NEAR(from_validation, uploaded[k], 1e-6f) << file << " bit " << k << " (upload)";
      EXPECT_EQ(from_validation >= 0, uploaded[k] >= 0) << file << " bit " << k;
      // At the same batch size, one image at a time, the three paths give bit-identical z.
      const auto one = std::bit_cast<std::uint32_t>(validation_one[v][std::int64_t(k)].item<float>());
      EXPECT_EQ(one, std::bit_cast<std::uint32_t>(encoded_one[row * 16 + k])) << file << " bit " << k << " (encode, 1)";
      EXPECT_EQ(one, std::bit_cast<std::uint32_t>(uploaded[k])) << file << " bit " << k << " (upload)";
    }
  }
}

}  // namespace
}  // namespace shrewd
