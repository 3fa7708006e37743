#include <fmt/format.h>
#include <torch/csrc/autograd/grad_mode.h>
#include <torch/csrc/jit/api/module.h>
#include <torch/csrc/jit/serialization/import.h>

#include <set>
#include <sstream>

#include "shrewd/common/error.hpp"
#include "shrewd/model/backbone.hpp"

namespace shrewd::model {
namespace {

// nn::Module names may not contain '.', TorchScript's nested names do.
std::string flat_name(const std::string& name) {
  std::string out;
  for (char c : name) out += c == '.' ? std::string("__") : std::string(1, c);
  return out;
}

std::string shape_text(const std::vector<std::int64_t>& shape) { return fmt::format("[{}]", fmt::join(shape, ", ")); }

// The cause of a TorchScript error: its last line (the interpreter's traceback comes before it).
std::string last_line(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text.substr(text.find_last_of('\n') == std::string::npos ? 0 : text.find_last_of('\n') + 1);
}

// Wraps a scripted module: its parameters and buffers are registered here (the same tensors), so
// optimisers, .to(device), train()/eval() and save/load treat it like any other backbone.
class TorchScriptBackbone : public Backbone {
 public:
  TorchScriptBackbone(const HashModelOptions& options, const std::string& script) {
    const auto& where = options.backbone;
    try {
      std::istringstream stream(script);
      module_ = torch::jit::load(stream, at::kCPU);
    } catch (const c10::Error& error) {
      fail(where, std::string("not a loadable TorchScript module: ") + error.what_without_backtrace());
    }
    std::set<std::string> names;
    for (const auto& parameter : module_.named_parameters(/*recurse=*/true)) {
      auto name = flat_name(parameter.name);
      if (!names.insert(name).second) fail(where, "two parameters map to the name " + name);
      register_parameter(name, parameter.value, /*requires_grad=*/true);
    }
    for (const auto& buffer : module_.named_buffers(/*recurse=*/true)) {
      auto name = flat_name(buffer.name);
      if (!names.insert(name).second) fail(where, "two tensors map to the name " + name);
      register_buffer(name, buffer.value);
    }
    dim_ = probe_output_dim(options);
  }

  at::Tensor forward(const at::Tensor& input) override {
    auto output = module_.forward({input});
    if (!output.isTensor()) fail("TorchScript backbone", "forward must return one tensor");
    return output.toTensor().flatten(1);
  }

  void train(bool on) override {
    module_.train(on);
    Backbone::train(on);
  }

  std::int64_t output_dim() const override { return dim_; }

 private:
  std::int64_t probe_output_dim(const HashModelOptions& options) {
    std::vector<std::int64_t> shape{2};
    shape.insert(shape.end(), options.input_shape.begin(), options.input_shape.end());
    torch::NoGradGuard no_grad;
    const bool was_training = module_.is_training();
    module_.eval();
    at::Tensor output;
    try {
      output = forward(at::zeros(shape));
    } catch (const c10::Error& error) {
      cannot_run(options, shape, error.what_without_backtrace());
    } catch (const std::exception& error) {  // the TorchScript interpreter's errors (torch::jit::JITException)
      cannot_run(options, shape, error.what());
    }
    module_.train(was_training);
    if (output.dim() != 2 || output.size(0) != 2 || output.size(1) < 1)
      fail(options.backbone, "cannot find the feature size: forward must return [B, ...] features, got " +
                                 shape_text(output.sizes().vec()) + " for a batch of shape " + shape_text(shape));
    return output.size(1);
  }

  [[noreturn]] static void cannot_run(const HashModelOptions& options, const std::vector<std::int64_t>& shape,
                                      const std::string& why) {
    fail(options.backbone, "cannot find the feature size: forward fails on a batch of shape " + shape_text(shape) +
                               " (the data's items; does the module take this input?): " + last_line(why));
  }

  torch::jit::Module module_;
  std::int64_t dim_ = 0;
};

}  // namespace

std::shared_ptr<Backbone> make_torchscript_backbone(const HashModelOptions& options, const std::string& script) {
  return std::make_shared<TorchScriptBackbone>(options, script);
}

}  // namespace shrewd::model
