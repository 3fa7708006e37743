#include "shrewd/model/hash_model.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include <cstring>
#include <sstream>

#include "shrewd/codes/code_matrix.hpp"
#include "shrewd/common/atomic_file.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/common/read_file.hpp"
#include "shrewd/model/backbone.hpp"

namespace shrewd::model {
namespace {

bool is_builtin(const std::string& backbone) { return backbone == "cnn" || backbone == "resnet18" || backbone == "mlp"; }

constexpr const char* kOptionsKey = "shrewd_model_options";
constexpr const char* kScriptKey = "shrewd_torchscript_backbone";
constexpr const char* kFormatKey = "shrewd_model_format";
constexpr const char* kPreprocessingKey = "shrewd_preprocessing";

}  // namespace

std::string options_to_json(const HashModelOptions& options) {
  nlohmann::json json = {{"backbone", options.backbone}, {"input_shape", options.input_shape},
                         {"bits", options.bits},         {"classes", options.classes},
                         {"hidden", options.hidden},     {"dropout", options.dropout},
                         {"channels", options.channels}, {"feature_dim", options.feature_dim},
                         {"convs_per_stage", options.convs_per_stage}};
  return json.dump();
}

HashModelOptions options_from_json(const std::string& text) {
  HashModelOptions options;
  try {
    auto json = nlohmann::json::parse(text);
    if (!json.is_object()) fail("model options", "must be a JSON object");
    for (const auto& [key, value] : json.items()) {
      if (key == "backbone") options.backbone = value.get<std::string>();
      else if (key == "input_shape") options.input_shape = value.get<std::vector<std::int64_t>>();
      else if (key == "bits") options.bits = value.get<std::int64_t>();
      else if (key == "classes") options.classes = value.get<std::int64_t>();
      else if (key == "hidden") options.hidden = value.get<std::vector<std::int64_t>>();
      else if (key == "dropout") options.dropout = value.get<double>();
      else if (key == "channels") options.channels = value.get<std::vector<std::int64_t>>();
      else if (key == "feature_dim") options.feature_dim = value.get<std::int64_t>();
      else if (key == "convs_per_stage") options.convs_per_stage = value.get<std::int64_t>();
      else fail("model options", "unknown key '" + key + "'");
    }
  } catch (const nlohmann::json::exception& error) {
    fail("model options", error.what());
  }
  return options;
}

void validate_options(const HashModelOptions& options) {
  const bool image = options.backbone == "cnn" || options.backbone == "resnet18";
  if (options.backbone.empty()) fail("backbone", "empty (cnn, resnet18, mlp or a TorchScript .pt file)");
  if (image && options.input_shape.size() != 3)
    fail("input_shape", fmt::format("{} needs [C, H, W], got {} numbers", options.backbone, options.input_shape.size()));
  if (options.backbone == "mlp" && options.input_shape.size() != 1)
    fail("input_shape", fmt::format("mlp needs [D], got {} numbers", options.input_shape.size()));
  if (options.input_shape.empty()) fail("input_shape", "missing");
  for (auto size : options.input_shape)
    if (size < 1) fail("input_shape", "sizes must be positive");
  if (options.bits < 1) fail("bits", "must be positive");
  check_code_bits(std::size_t(options.bits), "bits");
  if (options.classes < 0) fail("classes", "must be 0 (no classifier) or more");
  for (auto size : options.hidden)
    if (size < 1) fail("hidden", "sizes must be positive");
  for (auto size : options.channels)
    if (size < 1) fail("channels", "widths must be positive");
  if (options.feature_dim < 0) fail("feature_dim", "must be 0 (default) or positive");
  if (options.convs_per_stage < 1) fail("convs_per_stage", "must be 1 or more");
  if (!(options.dropout >= 0.0 && options.dropout < 1.0)) fail("dropout", "must lie in [0, 1)");
}

HashModelImpl::HashModelImpl(HashModelOptions options, std::string script)
    : options_(std::move(options)), script_(std::move(script)) {
  validate_options(options_);
  if (!is_builtin(options_.backbone) && script_.empty())
    script_ = read_file(options_.backbone, "the TorchScript backbone");
  backbone_ = register_module("backbone", make_backbone(options_, script_));
  feature_dim_ = backbone_->output_dim();
  if (options_.dropout > 0) dropout_ = register_module("dropout", torch::nn::Dropout(options_.dropout));
  hash_ = register_module("hash", torch::nn::Linear(feature_dim_, options_.bits));
  if (options_.classes > 0) classifier_ = register_module("classifier", torch::nn::Linear(options_.bits, options_.classes));
}

HashOutput HashModelImpl::forward(const at::Tensor& x) {
  auto features = backbone_->forward(x);
  if (dropout_) features = dropout_(features);
  HashOutput out;
  out.u = hash_(features);
  out.z = at::tanh(out.u);
  if (classifier_) out.logits = classifier_(out.z);
  return out;
}

at::Tensor HashModelImpl::classify(const at::Tensor& codes) {
  if (!classifier_) fail("classes", "the model has no classifier head");
  return classifier_(codes);
}

void save_model(HashModel& model, const std::filesystem::path& path) {
  torch::serialize::OutputArchive archive;
  archive.write(kFormatKey, c10::IValue(std::int64_t{1}));
  archive.write(kOptionsKey, c10::IValue(options_to_json(model->options())));
  if (!model->preprocessing().empty()) archive.write(kPreprocessingKey, c10::IValue(model->preprocessing()));
  const auto& script = model->script();
  if (!script.empty()) {
    auto bytes = at::empty({std::int64_t(script.size())}, at::kByte);
    std::memcpy(bytes.data_ptr<std::uint8_t>(), script.data(), script.size());
    archive.write(kScriptKey, bytes, /*is_buffer=*/true);
  }
  model->save(archive);  // parameters and buffers; tensors on another device are saved from there
  std::ostringstream stream;
  archive.save_to(stream);
  AtomicFile file(path);
  file.write(stream.str());
  file.commit();
}

HashModel load_model(const std::filesystem::path& path, at::Device device) {
  if (!std::filesystem::is_regular_file(path)) fail(path.string(), "no such model file");
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(path.string(), at::Device(at::kCPU));
  } catch (const c10::Error& error) {
    fail(path.string(), std::string("not a shrewd model file: ") + error.what_without_backtrace());
  }
  c10::IValue format, options_json;
  if (!archive.try_read(kFormatKey, format) || !archive.try_read(kOptionsKey, options_json) || !options_json.isString())
    fail(path.string(), "not a shrewd model file (no model options inside)");
  if (!format.isInt() || format.toInt() != 1)
    fail(path.string(), fmt::format("model file format {} is not supported (expected 1)",
                                    format.isInt() ? std::to_string(format.toInt()) : std::string("?")));
  HashModelOptions options;
  try {
    options = options_from_json(options_json.toStringRef());
  } catch (const Error& error) {
    fail(path.string(), error.what());
  }
  std::string script;
  at::Tensor bytes;
  if (archive.try_read(kScriptKey, bytes, /*is_buffer=*/true)) {
    bytes = bytes.contiguous();
    script.assign(reinterpret_cast<const char*>(bytes.data_ptr<std::uint8_t>()), std::size_t(bytes.numel()));
  } else if (!is_builtin(options.backbone)) {
    fail(path.string(), "the TorchScript backbone is missing from the model file");
  }
  HashModel model(options, script);
  try {
    model->load(archive);
  } catch (const c10::Error& error) {
    fail(path.string(), std::string("parameters do not match the model options: ") + error.what_without_backtrace());
  }
  c10::IValue preprocessing;
  if (archive.try_read(kPreprocessingKey, preprocessing)) {
    if (!preprocessing.isString()) fail(path.string(), "the stored preprocessing is not text");
    model->set_preprocessing(preprocessing.toStringRef());
  }
  model->to(device);
  return model;
}

}  // namespace shrewd::model
