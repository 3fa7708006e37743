#include "shrewd/train/run_config.hpp"

#include <fstream>
#include <sstream>

#include "shrewd/common/error.hpp"
#include "shrewd/train/baselines/hashing_loss.hpp"

namespace shrewd::train {
namespace {

using nlohmann::json;

std::string type_name(const json& value) {
  if (value.is_boolean()) return "a boolean";
  if (value.is_number_integer()) return "an integer";
  if (value.is_number()) return "a number";
  if (value.is_string()) return "a string";
  if (value.is_array()) return "a list";
  if (value.is_object()) return "an object";
  return "null";
}

bool same_kind(const json& expected, const json& given) {
  if (expected.is_number_float()) return given.is_number();
  if (expected.is_number_integer()) return given.is_number_integer();
  if (expected.is_array()) return given.is_array();
  return expected.type() == given.type();
}

void merge_at(json& base, const json& user, const std::string& prefix, const std::string& where) {
  if (!user.is_object()) fail(where, "'" + prefix + "' must be an object, got " + type_name(user));
  for (const auto& [key, value] : user.items()) {
    const std::string name = prefix.empty() ? key : prefix + "." + key;
    if (!base.contains(key)) {
      std::string known;
      for (const auto& [k, _] : base.items()) known += (known.empty() ? "" : ", ") + k;
      fail(where, "unknown key '" + name + "' (known here: " + known + ")");
    }
    json& slot = base[key];
    if (slot.is_object()) {
      merge_at(slot, value, name, where);
    } else if (!same_kind(slot, value)) {
      fail(where, "'" + name + "' must be " + type_name(slot) + ", got " + type_name(value) + " " + value.dump());
    } else {
      slot = slot.is_number_float() ? json(value.get<double>()) : value;
    }
  }
}

template <class T> T get(const json& config, const std::string& section, const std::string& key) {
  return config.at(section).at(key).get<T>();
}

[[noreturn]] void bad(const std::string& key, const std::string& problem) { fail("config " + key, problem); }

void require(bool ok, const std::string& key, const std::string& problem) {
  if (!ok) bad(key, problem);
}

}  // namespace

json default_config() {
  return json::parse(R"({
    "data": {
      "format": "fashion-mnist", "path": "", "labels": "", "embeddings": "",
      "coarse_labels": false, "image_size": 32, "channels": 3,
      "validation_fraction": 0.1, "split_seed": 1, "workers": 1,
      "crop_padding": 0, "horizontal_flip": false, "train_classes": [], "train_subset": 0
    },
    "model": {
      "backbone": "cnn", "bits": 64, "classifier": true, "dropout": 0.0,
      "hidden": [], "channels": [], "convs_per_stage": 1, "feature_dim": 0
    },
    "loss": {
      "method": "shrewd", "targets": "hierarchy",
      "hierarchy": "data/hierarchies/fashion-mnist/hierarchy.txt",
      "classes": "data/hierarchies/fashion-mnist/classes.txt",
      "hierarchy_measure": "lcs-height", "embedding_measure": "cosine",
      "w_ce": 1.0, "w_sim": 3.0, "w_kl": 0.01,
      "relative": true, "l1": false, "eps": 1e-6,
      "kl_mode": "per-bit", "kl_k": 1, "kl_sigma": 0.1, "kl_m": 0, "kl_eps": 1e-3
    },
    "optim": {
      "optimizer": "adam", "lr": 0.001, "momentum": 0.9, "weight_decay": 0.0,
      "schedule": "cosine", "step_epochs": 10, "gamma": 0.1, "warmup_epochs": 0
    },
    "train": {
      "epochs": 10, "batch_size": 128, "seed": 1, "threads": 0, "device": "cpu",
      "out": "runs/run", "progress": true, "log_every": 10
    },
    "validation": { "map_at": 1000, "ahp_at": 250 }
  })");
}

void merge_config(json& base, const json& user, const std::string& where) { merge_at(base, user, "", where); }

void apply_override(json& config, const std::string& assignment) {
  const auto equals = assignment.find('=');
  if (equals == std::string::npos || equals == 0)
    fail("--set " + assignment, "expected section.key=value");
  const std::string path = assignment.substr(0, equals), text = assignment.substr(equals + 1);
  json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) value = text;

  // Build {"section": {"key": value}} and merge it, so that the checks are the file's checks.
  json patch = value;
  std::string rest = path;
  std::vector<std::string> parts;
  for (std::size_t dot; (dot = rest.find('.')) != std::string::npos; rest = rest.substr(dot + 1))
    parts.push_back(rest.substr(0, dot));
  parts.push_back(rest);
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    if (it->empty()) fail("--set " + assignment, "empty key in '" + path + "'");
    patch = json{{*it, patch}};
  }
  // A string default given a value that parsed as a number or boolean (e.g. out=123): keep the text.
  const json* slot = &config;
  for (const auto& part : parts) slot = slot && slot->contains(part) ? &(*slot)[part] : nullptr;
  if (slot && slot->is_string() && !value.is_string()) {
    patch = json(text);
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) patch = json{{*it, patch}};
  }
  merge_config(config, patch, "--set " + assignment);
}

json resolve_config(const std::filesystem::path& file, const std::vector<std::string>& overrides) {
  json config = default_config();
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) fail(file.string(), "cannot open the config file");
    std::stringstream text;
    text << in.rdbuf();
    json user = json::parse(text.str(), nullptr, false, /*ignore_comments=*/true);
    if (user.is_discarded()) fail(file.string(), "not valid JSON");
    merge_config(config, user, file.string());
  }
  for (const auto& assignment : overrides) apply_override(config, assignment);
  return config;
}

TrainConfig parse_config(const json& config) {
  TrainConfig c;
  const auto& data = config.at("data");
  c.data.format = data.at("format").get<std::string>();
  c.data.path = data.at("path").get<std::string>();
  c.data.labels = data.at("labels").get<std::string>();
  c.data.embeddings = data.at("embeddings").get<std::string>();
  c.data.coarse_labels = data.at("coarse_labels").get<bool>();
  c.data.image_size = data.at("image_size").get<int>();
  c.data.channels = data.at("channels").get<int>();
  c.data.train = true;
  c.validation_fraction = data.at("validation_fraction").get<double>();
  require(c.validation_fraction >= 0 && c.validation_fraction < 1, "data.validation_fraction",
          "must be in [0, 1), got " + data.at("validation_fraction").dump());
  c.split_seed = data.at("split_seed").get<std::uint64_t>();
  c.workers = data.at("workers").get<int>();
  require(c.workers >= 0, "data.workers", "must be >= 0");
  c.crop_padding = data.at("crop_padding").get<int>();
  require(c.crop_padding >= 0, "data.crop_padding", "must be >= 0");
  c.horizontal_flip = data.at("horizontal_flip").get<bool>();
  for (const auto& value : data.at("train_classes")) {
    require(value.is_number_integer() && value.get<std::int64_t>() >= 0, "data.train_classes",
            "must list class indices, got " + value.dump());
    c.train_classes.push_back(value.get<std::int64_t>());
  }
  c.train_subset = data.at("train_subset").get<std::int64_t>();
  require(c.train_subset >= 0, "data.train_subset", "must be >= 0 (0: all items)");

  const auto& model = config.at("model");
  c.model.backbone = model.at("backbone").get<std::string>();
  c.model.bits = model.at("bits").get<std::int64_t>();
  require(c.model.bits >= 8 && c.model.bits <= 1024 && c.model.bits % 8 == 0, "model.bits",
          "must be a multiple of 8 in 8..1024, got " + model.at("bits").dump());
  c.classifier = model.at("classifier").get<bool>();
  c.model.dropout = model.at("dropout").get<double>();
  require(c.model.dropout >= 0 && c.model.dropout < 1, "model.dropout", "must be in [0, 1)");
  c.model.hidden = model.at("hidden").get<std::vector<std::int64_t>>();
  c.model.channels = model.at("channels").get<std::vector<std::int64_t>>();
  c.model.feature_dim = model.at("feature_dim").get<std::int64_t>();
  c.model.convs_per_stage = model.at("convs_per_stage").get<std::int64_t>();
  require(c.model.convs_per_stage >= 1, "model.convs_per_stage", "must be 1 or more");

  const auto& loss = config.at("loss");
  c.method = loss.at("method").get<std::string>();
  make_hashing_loss(c.method, {}, 1);  // an unknown method is an Error naming loss.method
  const auto targets = loss.at("targets").get<std::string>();
  if (targets == "labels") c.targets = TargetKind::Labels;
  else if (targets == "hierarchy") c.targets = TargetKind::Hierarchy;
  else if (targets == "embeddings") c.targets = TargetKind::Embeddings;
  else bad("loss.targets", "unknown value '" + targets + "' (expected labels, hierarchy or embeddings)");
  c.hierarchy = loss.at("hierarchy").get<std::string>();
  c.classes = loss.at("classes").get<std::string>();
  c.hierarchy_measure = loss.at("hierarchy_measure").get<std::string>();
  require(c.hierarchy_measure == "lcs-height" || c.hierarchy_measure == "wu-palmer", "loss.hierarchy_measure",
          "unknown value '" + c.hierarchy_measure + "' (expected lcs-height or wu-palmer)");
  const auto embedding_measure = loss.at("embedding_measure").get<std::string>();
  require(embedding_measure == "cosine" || embedding_measure == "angular", "loss.embedding_measure",
          "unknown value '" + embedding_measure + "' (expected cosine or angular)");
  c.angular = embedding_measure == "angular";
  c.weights.ce = loss.at("w_ce").get<double>();
  c.weights.sim = loss.at("w_sim").get<double>();
  c.weights.kl = loss.at("w_kl").get<double>();
  require(c.weights.ce >= 0 && c.weights.sim >= 0 && c.weights.kl >= 0, "loss.w_*", "weights must be >= 0");
  c.similarity.relative = loss.at("relative").get<bool>();
  c.similarity.l1 = loss.at("l1").get<bool>();
  c.similarity.eps = loss.at("eps").get<double>();
  const auto kl_mode = loss.at("kl_mode").get<std::string>();
  require(kl_mode == "per-bit" || kl_mode == "joint", "loss.kl_mode",
          "unknown value '" + kl_mode + "' (expected per-bit or joint)");
  c.kl.mode = parse_kl_mode(kl_mode);
  c.kl.k = loss.at("kl_k").get<int>();
  require(c.kl.k >= 1, "loss.kl_k", "must be >= 1");
  c.kl.sigma = loss.at("kl_sigma").get<double>();
  require(c.kl.sigma >= 0, "loss.kl_sigma", "must be >= 0");
  c.kl.target_samples = loss.at("kl_m").get<std::int64_t>();
  require(c.kl.target_samples >= 0, "loss.kl_m", "must be >= 0 (0: the batch size)");
  c.kl.eps = loss.at("kl_eps").get<double>();
  require(c.kl.eps > 0, "loss.kl_eps", "must be > 0");

  const auto& optim = config.at("optim");
  c.optimizer = optim.at("optimizer").get<std::string>();
  require(c.optimizer == "adam" || c.optimizer == "sgd", "optim.optimizer",
          "unknown value '" + c.optimizer + "' (expected adam or sgd)");
  c.lr = optim.at("lr").get<double>();
  require(c.lr > 0, "optim.lr", "must be > 0");
  c.momentum = optim.at("momentum").get<double>();
  c.weight_decay = optim.at("weight_decay").get<double>();
  c.schedule = optim.at("schedule").get<std::string>();
  require(c.schedule == "cosine" || c.schedule == "step" || c.schedule == "constant", "optim.schedule",
          "unknown value '" + c.schedule + "' (expected cosine, step or constant)");
  c.step_epochs = optim.at("step_epochs").get<int>();
  require(c.step_epochs >= 1, "optim.step_epochs", "must be >= 1");
  c.gamma = optim.at("gamma").get<double>();
  c.warmup_epochs = optim.at("warmup_epochs").get<int>();
  require(c.warmup_epochs >= 0, "optim.warmup_epochs", "must be >= 0");

  const auto& train = config.at("train");
  c.epochs = train.at("epochs").get<int>();
  require(c.epochs >= 1, "train.epochs", "must be >= 1");
  c.batch_size = train.at("batch_size").get<std::int64_t>();
  require(c.batch_size >= 2, "train.batch_size", "must be >= 2");
  c.seed = train.at("seed").get<std::uint64_t>();
  c.threads = train.at("threads").get<int>();
  c.device = train.at("device").get<std::string>();
  require(c.device == "cpu" || c.device == "cuda", "train.device",
          "unknown value '" + c.device + "' (expected cpu or cuda)");
  c.out = train.at("out").get<std::string>();
  require(!c.out.empty(), "train.out", "must name an output directory");
  c.progress = train.at("progress").get<bool>();
  c.log_every = train.at("log_every").get<int>();
  require(c.log_every >= 1, "train.log_every", "must be >= 1");

  const auto& validation = config.at("validation");
  c.map_at = validation.at("map_at").get<std::size_t>();
  c.ahp_at = validation.at("ahp_at").get<std::size_t>();
  require(c.map_at >= 1 && c.ahp_at >= 2, "validation", "map_at must be >= 1 and ahp_at >= 2");
  return c;
}

}  // namespace shrewd::train
