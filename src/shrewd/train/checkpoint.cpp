#include "shrewd/train/checkpoint.hpp"

#include <sstream>

#include "shrewd/common/atomic_file.hpp"
#include "shrewd/common/error.hpp"

namespace shrewd::train {
namespace {

torch::Tensor text_tensor(const std::string& text) {
  auto t = torch::empty({static_cast<std::int64_t>(text.size())}, torch::kUInt8);
  std::memcpy(t.data_ptr<std::uint8_t>(), text.data(), text.size());
  return t;
}

std::string tensor_text(const torch::Tensor& t) {
  auto bytes = t.to(torch::kCPU).contiguous();
  return std::string(reinterpret_cast<const char*>(bytes.data_ptr<std::uint8_t>()), bytes.numel());
}

torch::serialize::InputArchive open_archive(const std::filesystem::path& path, torch::Device device) {
  if (!std::filesystem::exists(path)) fail(path.string(), "no such checkpoint");
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(path.string(), device);
  } catch (const std::exception& e) {
    fail(path.string(), std::string("not a readable checkpoint (") + e.what() + ")");
  }
  return archive;
}

}  // namespace

void save_checkpoint(const std::filesystem::path& path, model::HashModel& model, torch::optim::Optimizer& optimizer,
                     const CheckpointInfo& info) {
  torch::serialize::OutputArchive archive, model_archive, optimizer_archive;
  model->save(model_archive);
  optimizer.save(optimizer_archive);
  archive.write("model", model_archive);
  archive.write("optimizer", optimizer_archive);
  archive.write("epochs_done", torch::tensor(static_cast<std::int64_t>(info.epochs_done)));
  archive.write("global_step", torch::tensor(info.global_step));
  archive.write("config", text_tensor(info.config_json));
  archive.write("model_options", text_tensor(info.model_options));
  archive.write("script", text_tensor(info.script));
  archive.write("lr_restart_step", torch::tensor(info.lr_restart_step));
  archive.write("lr_restart_lr", torch::tensor(info.lr_restart_lr, torch::kFloat64));
  std::ostringstream bytes;
  archive.save_to(bytes);
  AtomicFile file(path);
  file.write(bytes.str());
  file.commit();
}

CheckpointInfo read_checkpoint_info(const std::filesystem::path& path) {
  auto archive = open_archive(path, torch::kCPU);
  CheckpointInfo info;
  // A fresh tensor per record: reading into a defined tensor would copy into its dtype.
  auto record = [&archive](const char* key) {
    torch::Tensor t;
    archive.read(key, t);
    return t;
  };
  try {
    info.epochs_done = static_cast<int>(record("epochs_done").item<std::int64_t>());
    info.global_step = record("global_step").item<std::int64_t>();
    info.config_json = tensor_text(record("config"));
    info.model_options = tensor_text(record("model_options"));
    info.script = tensor_text(record("script"));
    torch::Tensor restart_step, restart_lr;
    if (archive.try_read("lr_restart_step", restart_step) && archive.try_read("lr_restart_lr", restart_lr)) {
      info.lr_restart_step = restart_step.item<std::int64_t>();
      info.lr_restart_lr = restart_lr.item<double>();
      if (info.lr_restart_step < -1 || !(info.lr_restart_lr >= 0 && info.lr_restart_lr <= 1e3))
        fail(path.string(), "bad learning-rate restart record in the checkpoint");
    }
  } catch (const c10::Error& e) {
    fail(path.string(), std::string("not a shrewd training checkpoint (missing records: ") +
                            e.what_without_backtrace() + ")");
  }
  return info;
}

void load_checkpoint_state(const std::filesystem::path& path, model::HashModel& model,
                           torch::optim::Optimizer& optimizer, torch::Device device) {
  auto archive = open_archive(path, device);
  torch::serialize::InputArchive model_archive, optimizer_archive;
  try {
    archive.read("model", model_archive);
    archive.read("optimizer", optimizer_archive);
    model->load(model_archive);
    optimizer.load(optimizer_archive);
  } catch (const c10::Error& e) {
    fail(path.string(), std::string("checkpoint does not match the model: ") + e.what_without_backtrace());
  }
}

}  // namespace shrewd::train
