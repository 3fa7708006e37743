// The losses of shrewd_train behind shrewd.torch's modules (python/shrewd/torch.py). Options come
// as a partial run configuration (JSON text of {"loss": {...}, "model": {...}, "train": {...}})
// merged over the defaults and checked by parse_config, so every key has the trainer's default,
// range and error message; the losses are built by the trainer's own factory and called with the
// trainer's LossInputs.
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <torch/extension.h>

#include "bindings.hpp"
#include "tensor_args.hpp"
#include "shrewd/train/baselines/hashing_loss.hpp"
#include "shrewd/train/kl_divergence.hpp"
#include "shrewd/train/run_options.hpp"
#include "shrewd/train/similarity_loss.hpp"
#include "shrewd/train/target_distances.hpp"

namespace shrewd::python {
namespace {

train::RunConfig partial_config(const std::string& partial, const std::string& where) {
  auto config = train::default_config();
  auto user = nlohmann::json::parse(partial, nullptr, /*allow_exceptions=*/false);
  if (!user.is_object()) throw py::value_error(where + ": the options are not a JSON object");
  train::merge_config(config, user, where);
  return train::parse_config(config);
}

py::object optional_result(const at::Tensor& tensor) { return tensor.defined() ? py::cast(tensor) : py::none(); }

py::tuple terms_tuple(const train::LossTerms& terms) {
  return py::make_tuple(optional_result(terms.total), optional_result(terms.ce), optional_result(terms.sim),
                        optional_result(terms.kl));
}

// The KL estimate needs n > k outputs and m >= k target samples (docs/method.md §5.1).
void require_kl_batch(const at::Tensor& z, const train::KlOptions& kl) {
  const auto n = z.size(0), m = kl.target_samples > 0 ? kl.target_samples : n;
  if (n <= kl.k || m < kl.k)
    throw py::value_error(fmt::format("z: loss.kl_k = {} needs more than {} items in the batch and at least {} "
                                      "target samples (loss.kl_m), got {} and {}",
                                      kl.k, kl.k, kl.k, n, m));
}

// D^T of the batch (docs/method.md §2), as the trainer's BatchTargets makes it: given directly,
// from embeddings (§2.4), or from labels with a class distance matrix (§2.3) or flat (§2.1).
// Undefined when none is given.
struct TargetArguments {
  py::object labels, class_distances, embeddings, target_distances;
};

at::Tensor batch_target_distances(const at::Tensor& z, const TargetArguments& in, bool angular) {
  const auto n = z.size(0);
  const auto device = z.device();
  if (!in.target_distances.is_none())
    return matrix_argument(tensor_argument(in.target_distances, "target_distances"), n, n, device, "target_distances");
  if (!in.embeddings.is_none())
    return train::embedding_distances(
        matrix_argument(tensor_argument(in.embeddings, "embeddings"), n, 0, device, "embeddings"), angular);
  if (in.labels.is_none()) return {};
  if (in.class_distances.is_none())
    return train::label_distances(labels_argument(tensor_argument(in.labels, "labels"), n, 0, device, "labels"));
  auto classes = tensor_argument(in.class_distances, "class_distances");
  const auto count = classes.dim() == 2 ? classes.size(0) : 0;
  if (count < 1) throw py::value_error("class_distances: expected a tensor [C, C] of class distances");
  return train::class_matrix_distances(labels_argument(tensor_argument(in.labels, "labels"), n, count, device, "labels"),
                                       matrix_argument(classes, count, count, device, "class_distances"));
}

bool angular_embeddings(const train::RunConfig& c) {
  return c.loss.embedding_measure == semantics::EmbeddingMeasure::Angular;
}

// L_sim (docs/method.md §4) with loss.relative, loss.l1, loss.eps and loss.embedding_measure.
class BoundSimilarity {
 public:
  explicit BoundSimilarity(const std::string& partial) {
    const auto c = partial_config(partial, "shrewd.torch.SimilarityLoss");
    options_ = train::method_settings(c).similarity;
    angular_ = angular_embeddings(c);
  }

  at::Tensor operator()(py::handle z_object, const TargetArguments& targets) const {
    auto z = tensor_argument(z_object, "z");
    require_outputs(z, "z");
    auto distances = batch_target_distances(z, targets, angular_);
    if (!distances.defined())
      throw py::value_error("SimilarityLoss: give labels (with class_distances for a hierarchy), embeddings or "
                            "target_distances");
    return train::similarity_loss(z, distances, options_);
  }

 private:
  train::SimilarityLossOptions options_;
  bool angular_ = false;
};

// The empirical KL divergence (docs/method.md §5) with loss.kl_* and its own seeded generator.
class BoundKl {
 public:
  explicit BoundKl(const std::string& partial) : BoundKl(partial_config(partial, "shrewd.torch.KLDivergence")) {}

  at::Tensor operator()(py::handle z_object) {
    auto z = tensor_argument(z_object, "z");
    require_outputs(z, "z");
    require_kl_batch(z, kl_.options());
    return kl_(z);
  }
  void reseed(std::uint64_t seed) { kl_.reseed(seed); }

 private:
  explicit BoundKl(const train::RunConfig& c) : kl_(train::method_settings(c).kl, c.train.seed) {}
  train::EmpiricalKl kl_;
};

// The method's total loss (loss.method shrewd, docs/method.md §6) or a baseline (§7), made by
// make_hashing_loss as in the trainer.
class BoundLoss {
 public:
  BoundLoss(const std::string& method, const std::string& partial, std::int64_t classes)
      : method_(method), classes_(classes) {
    const auto c = partial_config(partial, "shrewd.torch loss " + method);
    settings_ = train::method_settings(c);
    angular_ = angular_embeddings(c);
    loss_ = train::make_hashing_loss(method, settings_, classes);
  }

  py::tuple operator()(py::handle u_object, py::handle z_object, py::handle logits_object,
                       const TargetArguments& targets, std::int64_t step, py::object classify) {
    train::LossInputs in;
    in.u = optional_tensor_argument(u_object, "u");
    in.z = optional_tensor_argument(z_object, "z");
    if (in.u.defined()) require_outputs(in.u, "u");
    if (in.z.defined()) require_outputs(in.z, "z");
    if (in.u.defined() && in.z.defined() && !in.u.sizes().equals(in.z.sizes()))
      throw py::value_error("u and z: expected the same shape");
    in.logits = optional_tensor_argument(logits_object, "logits");
    const auto& outputs = in.z.defined() ? in.z : in.u;
    if (!outputs.defined() && !in.logits.defined())
      throw py::value_error(fmt::format("loss.method {}: needs the outputs of the batch", method_));
    if (outputs.defined() && method_ == "csq" && outputs.size(1) != settings_.bits)
      throw py::value_error(fmt::format("z: CsqLoss was made for {} bits, got {}", settings_.bits, outputs.size(1)));
    if (in.logits.defined())
      in.logits = matrix_argument(in.logits, outputs.defined() ? outputs.size(0) : 0, 0,
                                  outputs.defined() ? outputs.device() : in.logits.device(), "logits");
    const auto& first = outputs.defined() ? outputs : in.logits;
    const auto n = first.size(0);
    const auto device = first.device();
    if (!targets.labels.is_none()) {
      const auto limit = in.logits.defined() ? in.logits.size(1) : method_ == "csq" ? classes_ : 0;
      in.labels = labels_argument(tensor_argument(targets.labels, "labels"), n, limit, device, "labels");
    }
    if (method_ == "shrewd") {
      in.target_distances = batch_target_distances(outputs, targets, angular_);
      if (settings_.weights.kl != 0) require_kl_batch(outputs, settings_.kl);
    }
    if (step < 0) throw py::value_error(fmt::format("step: must be >= 0, got {}", step));
    in.step = step;
    if (!classify.is_none()) in.classify = classifier(std::move(classify), n, in.labels);
    return terms_tuple((*loss_)(in));
  }

  void start_epoch(std::uint64_t seed) { loss_->start_epoch(seed); }

 private:
  // A Python callable mapping codes [n, K] to logits [n, C], checked on every call.
  static std::function<at::Tensor(const at::Tensor&)> classifier(py::object classify, std::int64_t n,
                                                                 const at::Tensor& labels) {
    const auto limit = labels.defined() ? labels.max().item<std::int64_t>() + 1 : 1;
    return [classify = std::move(classify), n, limit](const at::Tensor& codes) {
      auto logits = tensor_argument(classify(codes), "classifier(codes)");
      if (!at::isFloatingType(logits.scalar_type()) || logits.dim() != 2 || logits.size(0) != n ||
          logits.size(1) < limit)
        throw py::value_error(fmt::format("classifier(codes): expected floating-point logits [{}, C] with C > {} "
                                          "(the largest label)",
                                          n, limit - 1));
      return logits.to(codes.device());
    };
  }

  std::string method_;
  std::int64_t classes_;
  train::MethodSettings settings_;
  bool angular_ = false;
  std::unique_ptr<train::HashingLoss> loss_;
};

}  // namespace

void bind_losses(py::module_& m) {
  m.def("default_config", [] { return train::default_config().dump(); },
        "The defaults of every run configuration key, as JSON text (the keys of docs/training.md)");

  py::class_<BoundSimilarity>(m, "SimilarityLoss")
      .def(py::init<const std::string&>(), py::arg("partial_config"))
      .def(
          "__call__",
          [](const BoundSimilarity& self, py::handle z, py::object labels, py::object class_distances,
             py::object embeddings, py::object target_distances) {
            return self(z, {labels, class_distances, embeddings, target_distances});
          },
          py::arg("z"), py::arg("labels"), py::arg("class_distances"), py::arg("embeddings"),
          py::arg("target_distances"));

  py::class_<BoundKl>(m, "KLDivergence")
      .def(py::init<const std::string&>(), py::arg("partial_config"))
      .def("__call__", &BoundKl::operator(), py::arg("z"))
      .def("reseed", &BoundKl::reseed, py::arg("seed"));

  py::class_<BoundLoss>(m, "HashingLoss")
      .def(py::init<const std::string&, const std::string&, std::int64_t>(), py::arg("method"),
           py::arg("partial_config"), py::arg("classes"))
      .def(
          "__call__",
          [](BoundLoss& self, py::handle u, py::handle z, py::handle logits, py::object labels,
             py::object class_distances, py::object embeddings, py::object target_distances, std::int64_t step,
             py::object classify) {
            return self(u, z, logits, {labels, class_distances, embeddings, target_distances}, step,
                        std::move(classify));
          },
          py::arg("u"), py::arg("z"), py::arg("logits"), py::arg("labels"), py::arg("class_distances"),
          py::arg("embeddings"), py::arg("target_distances"), py::arg("step"), py::arg("classify"))
      .def("start_epoch", &BoundLoss::start_epoch, py::arg("seed"));
}

}  // namespace shrewd::python
