#include "shrewd/train/run_config.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <type_traits>

#include "shrewd/common/error.hpp"
#include "shrewd/common/printable.hpp"
#include "shrewd/common/read_file.hpp"
#include "shrewd/train/hashing_methods.hpp"

// The JSON names of the words (enums). An unknown word is never read through these: read_key
// below lists the choices in its Error instead of nlohmann's fallback to the first entry.
namespace shrewd::semantics {
inline void to_json(nlohmann::json& j, HierarchyMeasure measure) { j = hierarchy_measure_name(measure); }
NLOHMANN_JSON_SERIALIZE_ENUM(EmbeddingMeasure, {{EmbeddingMeasure::Cosine, "cosine"},
                                                {EmbeddingMeasure::Angular, "angular"}})
}  // namespace shrewd::semantics

namespace shrewd::train {

inline void to_json(nlohmann::json& j, KlMode mode) { j = kl_mode_name(mode); }
NLOHMANN_JSON_SERIALIZE_ENUM(TargetKind, {{TargetKind::Labels, "labels"},
                                          {TargetKind::Hierarchy, "hierarchy"},
                                          {TargetKind::Embeddings, "embeddings"}})
NLOHMANN_JSON_SERIALIZE_ENUM(Optimizer, {{Optimizer::Adam, "adam"}, {Optimizer::Sgd, "sgd"}})
NLOHMANN_JSON_SERIALIZE_ENUM(Schedule, {{Schedule::Cosine, "cosine"},
                                        {Schedule::Step, "step"},
                                        {Schedule::Constant, "constant"}})
NLOHMANN_JSON_SERIALIZE_ENUM(ResumeSchedule, {{ResumeSchedule::Continue, "continue"},
                                              {ResumeSchedule::Restart, "restart"}})
NLOHMANN_JSON_SERIALIZE_ENUM(Device, {{Device::Cpu, "cpu"}, {Device::Cuda, "cuda"}})
NLOHMANN_JSON_SERIALIZE_ENUM(Normalize, {{Normalize::None, "none"}, {Normalize::Auto, "auto"}, {Normalize::Fixed, "fixed"}})

namespace {

using nlohmann::json;

// A key's problem, thrown while a section is read and turned into an Error naming section.key.
struct KeyProblem {
  std::string key, problem;
};

std::string type_name(const json& value) {
  if (value.is_boolean()) return "a boolean";
  if (value.is_number_integer()) return "an integer";
  if (value.is_number()) return "a number";
  if (value.is_string()) return "a string";
  if (value.is_array()) return "a list";
  if (value.is_object()) return "an object";
  return "null";
}

// The JSON names of an enum, in the order of its values (0, 1, ... until a name repeats: the
// serialisers map values they do not know to a name already given).
template <class E> std::vector<std::string> enum_words() {
  std::vector<std::string> words;
  for (int i = 0; i < 64; ++i) {
    const auto word = json(static_cast<E>(i)).template get<std::string>();
    if (std::find(words.begin(), words.end(), word) != words.end()) break;
    words.push_back(word);
  }
  return words;
}

std::string word_list(const std::vector<std::string>& words) {
  std::string list;
  for (std::size_t i = 0; i < words.size(); ++i)
    list += (i == 0 ? "" : i + 1 == words.size() ? " or " : ", ") + words[i];
  return list;
}

// Reads one key into its member with the member's own type: an integer must fit the type, a
// number must be finite, a word must be one of the enum's.
template <class T> void read_key(const json& section, const char* key, T& out) {
  if (!section.contains(key)) throw KeyProblem{key, "is missing"};
  const json& value = section.at(key);
  const auto wrong = [&](const std::string& expected) {
    throw KeyProblem{key, "must be " + expected + ", got " + type_name(value) + " " + value.dump()};
  };
  if constexpr (std::is_same_v<T, bool>) {
    if (!value.is_boolean()) wrong("a boolean");
    out = value.get<bool>();
  } else if constexpr (std::is_integral_v<T>) {
    if (!value.is_number_integer()) wrong("an integer");
    const bool negative = !value.is_number_unsigned() && value.get<std::int64_t>() < 0;
    bool fits = false;
    if (!negative) {
      fits = value.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<T>::max());
    } else if constexpr (std::is_signed_v<T>) {
      fits = value.get<std::int64_t>() >= static_cast<std::int64_t>(std::numeric_limits<T>::min());
    }
    if (!fits)
      throw KeyProblem{key, "is out of range: " + value.dump() + (negative ? " (must be >= 0)" : " (too large)")};
    out = negative ? static_cast<T>(value.get<std::int64_t>()) : static_cast<T>(value.get<std::uint64_t>());
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!value.is_number()) wrong("a number");
    out = value.get<T>();
    if (!std::isfinite(out)) throw KeyProblem{key, "must be a finite number, got " + value.dump()};
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (!value.is_string()) wrong("a string");
    out = value.get<std::string>();
  } else if constexpr (std::is_same_v<T, std::vector<std::int64_t>>) {
    if (!value.is_array()) wrong("a list of integers");
    out.clear();
    for (const auto& item : value) {
      if (!item.is_number_integer() || (item.is_number_unsigned() && item.get<std::uint64_t>() > INT64_MAX))
        wrong("a list of integers");
      out.push_back(item.get<std::int64_t>());
    }
  } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
    if (!value.is_array()) wrong("a list of strings");
    out.clear();
    for (const auto& item : value) {
      if (!item.is_string()) wrong("a list of strings");
      out.push_back(item.get<std::string>());
    }
  } else if constexpr (std::is_same_v<T, std::vector<float>>) {
    if (!value.is_array()) wrong("a list of numbers");
    out.clear();
    for (const auto& item : value) {
      if (!item.is_number() || !std::isfinite(item.get<double>()) || std::abs(item.get<double>()) > 1e30)
        wrong("a list of finite numbers");
      out.push_back(item.get<float>());
    }
  } else {
    static_assert(std::is_enum_v<T>, "a config key is a boolean, number, string, list of integers or enum");
    const auto words = enum_words<T>();
    if (!value.is_string()) wrong("one of " + word_list(words));
    const auto word = value.get<std::string>();
    const auto it = std::find(words.begin(), words.end(), word);
    if (it == words.end()) throw KeyProblem{key, "unknown value '" + word + "' (expected " + word_list(words) + ")"};
    out = static_cast<T>(it - words.begin());
  }
}

}  // namespace

// Every key of every section, once: to_json writes the members under their names (nlohmann's
// own NLOHMANN_JSON_TO), from_json reads each with read_key, which checks what nlohmann's
// from_json would convert silently (wrapped integers, unknown words).
#define SHREWD_CONFIG_READ(v1) read_key(nlohmann_json_j, #v1, nlohmann_json_t.v1);
#define SHREWD_CONFIG_SECTION(Type, ...)                                                    \
  [[maybe_unused]] void to_json(nlohmann::json& nlohmann_json_j, const Type& nlohmann_json_t) { \
    NLOHMANN_JSON_EXPAND(NLOHMANN_JSON_PASTE(NLOHMANN_JSON_TO, __VA_ARGS__))                \
  }                                                                                         \
  [[maybe_unused]] void from_json(const nlohmann::json& nlohmann_json_j, Type& nlohmann_json_t) { \
    NLOHMANN_JSON_EXPAND(NLOHMANN_JSON_PASTE(SHREWD_CONFIG_READ, __VA_ARGS__))              \
  }

SHREWD_CONFIG_SECTION(DataConfig, format, path, labels, embeddings, coarse_labels, validation_fraction, split_seed,
                      workers, train_classes, train_subset, drop_classes)
SHREWD_CONFIG_SECTION(PreprocessingConfig, channels, resize, crop, crop_size, crop_padding, flip, normalize, mean, std)
SHREWD_CONFIG_SECTION(ModelConfig, backbone, bits, classifier, dropout, hidden, channels, convs_per_stage, feature_dim)
SHREWD_CONFIG_SECTION(LossConfig, method, targets, hierarchy, classes, hierarchy_measure, embedding_measure, w_ce,
                      w_sim, w_kl, relative, l1, eps, kl_mode, kl_k, kl_sigma, kl_m, kl_eps)
SHREWD_CONFIG_SECTION(OptimConfig, optimizer, lr, momentum, weight_decay, schedule, step_epochs, gamma,
                      warmup_epochs, backbone_lr_multiplier, freeze_backbone, resume_schedule)
SHREWD_CONFIG_SECTION(TrainSection, epochs, batch_size, seed, threads, device, out, progress, log_every)
SHREWD_CONFIG_SECTION(ValidationConfig, map_at, ahp_at)

#undef SHREWD_CONFIG_SECTION
#undef SHREWD_CONFIG_READ

namespace {

// The sections in their JSON order; read_section names the key of a problem.
template <class Section> void read_section(const json& config, const char* name, Section& out) {
  if (!config.contains(name) || !config.at(name).is_object()) fail("config " + std::string(name), "must be an object");
  try {
    from_json(config.at(name), out);
  } catch (const KeyProblem& problem) {
    fail("config " + std::string(name) + "." + problem.key, problem.problem);
  }
}

[[noreturn]] void bad(const std::string& key, const std::string& problem) { fail("config " + key, problem); }

template <class T> std::string text(T value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

// Range checks: every number has one, and the Error names the key and the range.
template <class T> void in_range(const std::string& key, T value, T low, T high) {
  if (!(value >= low && value <= high))
    bad(key, "must be in " + text(low) + ".." + text(high) + ", got " + text(value));
}
void in_open_high(const std::string& key, double value, double low, double high) {  // [low, high)
  if (!(value >= low && value < high)) bad(key, "must be in [" + text(low) + ", " + text(high) + "), got " + text(value));
}
void in_open_low(const std::string& key, double value, double low, double high) {  // (low, high]
  if (!(value > low && value <= high)) bad(key, "must be in (" + text(low) + ", " + text(high) + "], got " + text(value));
}

constexpr int kMaxWorkers = 256;           // batch-preparing threads
constexpr int kMaxEpochs = 1'000'000;
constexpr std::int64_t kMaxWidth = 1 << 20;  // layer widths, batch sizes, sample counts

void check(const DataConfig& d) {
  in_open_high("data.validation_fraction", d.validation_fraction, 0, 1);
  in_range("data.workers", d.workers, 0, kMaxWorkers);
  for (auto value : d.train_classes) in_range<std::int64_t>("data.train_classes", value, 0, INT32_MAX);
  in_range<std::int64_t>("data.train_subset", d.train_subset, 0, INT64_MAX);  // 0: all items
}

void check(const PreprocessingConfig& p) {
  // whether mean and std belong here at all, before what they hold
  if (p.normalize == Normalize::Fixed && p.mean.empty())
    bad("preprocessing.mean", "is empty but preprocessing.normalize is fixed (give mean and std, or use auto)");
  if (p.normalize != Normalize::Fixed && !p.mean.empty())
    bad("preprocessing.mean", "is given but preprocessing.normalize is " + json(p.normalize).get<std::string>() +
                                  " (set it to fixed to use these values)");
  data::check_preprocessing(p, "config preprocessing");
}

void check(const ModelConfig& m) {
  if (!(m.bits >= 8 && m.bits <= 1024 && m.bits % 8 == 0))
    bad("model.bits", "must be a multiple of 8 in 8..1024, got " + text(m.bits));
  in_open_high("model.dropout", m.dropout, 0, 1);
  for (auto width : m.hidden) in_range<std::int64_t>("model.hidden", width, 1, kMaxWidth);
  for (auto width : m.channels) in_range<std::int64_t>("model.channels", width, 1, kMaxWidth);
  in_range<std::int64_t>("model.convs_per_stage", m.convs_per_stage, 1, 64);
  in_range<std::int64_t>("model.feature_dim", m.feature_dim, 0, kMaxWidth);  // 0: the default
}

void check(const LossConfig& l) {
  check_hashing_method(l.method);
  in_range("loss.w_ce", l.w_ce, 0.0, 1e6);
  in_range("loss.w_sim", l.w_sim, 0.0, 1e6);
  in_range("loss.w_kl", l.w_kl, 0.0, 1e6);
  in_range("loss.eps", l.eps, 0.0, 1.0);
  in_range("loss.kl_k", l.kl_k, 1, 1024);
  in_range("loss.kl_sigma", l.kl_sigma, 0.0, 1e3);
  in_range<std::int64_t>("loss.kl_m", l.kl_m, 0, kMaxWidth);  // 0: the batch size
  in_open_low("loss.kl_eps", l.kl_eps, 0, 1);
}

void check(const OptimConfig& o) {
  in_open_low("optim.lr", o.lr, 0, 10);
  in_range("optim.momentum", o.momentum, 0.0, 1.0);
  in_range("optim.weight_decay", o.weight_decay, 0.0, 10.0);
  in_range("optim.step_epochs", o.step_epochs, 1, kMaxEpochs);
  in_range("optim.gamma", o.gamma, 0.0, 1.0);
  in_range("optim.warmup_epochs", o.warmup_epochs, 0, kMaxEpochs);
  in_open_low("optim.backbone_lr_multiplier", o.backbone_lr_multiplier, 0, 1000);
}

void check(const TrainSection& t) {
  in_range("train.epochs", t.epochs, 1, kMaxEpochs);
  in_range<std::int64_t>("train.batch_size", t.batch_size, 2, kMaxWidth);
  in_range("train.threads", t.threads, 0, 1024);  // 0: all cores
  if (t.out.empty()) bad("train.out", "must name an output directory");
  in_range("train.log_every", t.log_every, 1, INT32_MAX);
}

void check(const ValidationConfig& v) {
  in_range<std::uint64_t>("validation.map_at", v.map_at, 1, UINT64_MAX);
  in_range<std::uint64_t>("validation.ahp_at", v.ahp_at, 2, UINT64_MAX);
}

bool is_utf8(const std::string& text) {
  try {
    (void)json(text).dump();  // nlohmann's serializer rejects exactly what JSON cannot hold
    return true;
  } catch (const json::type_error&) {
    return false;
  }
}

bool same_kind(const json& expected, const json& given) {
  if (expected.is_number_float()) return given.is_number();
  if (expected.is_number_integer()) return given.is_number_integer();
  if (expected.is_array()) return given.is_array();
  return expected.type() == given.type();
}

// Keys that moved to the preprocessing section, and where to.
std::string moved_key(const std::string& name) {
  if (name == "data.image_size") return "preprocessing.resize (with preprocessing.crop centre or random)";
  if (name == "data.channels") return "preprocessing.channels";
  if (name == "data.crop_padding") return "preprocessing.crop_padding";
  if (name == "data.horizontal_flip") return "preprocessing.flip";
  return {};
}

void merge_at(json& base, const json& user, const std::string& prefix, const std::string& where) {
  if (!user.is_object()) fail(where, "'" + prefix + "' must be an object, got " + type_name(user));
  for (const auto& [key, value] : user.items()) {
    const std::string name = prefix.empty() ? key : prefix + "." + key;
    if (!base.contains(key)) {
      if (const auto moved = moved_key(name); !moved.empty())
        fail(where, "'" + name + "' is now " + moved + " (docs/training.md, \"Preprocessing\")");
      std::string known;
      for (const auto& [k, _] : base.items()) known += (known.empty() ? "" : ", ") + k;
      fail(where, "unknown key " + quoted_name(name) + " (known here: " + known + ")");
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

}  // namespace

json config_json(const RunConfig& c) {
  return {{"data", c.data},   {"preprocessing", c.preprocessing}, {"model", c.model}, {"loss", c.loss},
          {"optim", c.optim}, {"train", c.train}, {"validation", c.validation}};
}

json default_config() { return config_json(RunConfig{}); }

void merge_config(json& base, const json& user, const std::string& where) { merge_at(base, user, "", where); }

void apply_override(json& config, const std::string& assignment) {
  // Keys and string values become JSON, which is UTF-8: other bytes would fail only when config.json
  // is written, with a message that names nothing.
  if (!is_utf8(assignment)) fail("--set " + printable(assignment), "is not valid UTF-8 text");
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
    const std::string text = read_file(file, "the config file");
    json user = json::parse(text, nullptr, false, /*ignore_comments=*/true);
    if (user.is_discarded()) fail(file.string(), "not valid JSON");
    merge_config(config, user, file.string());
  }
  for (const auto& assignment : overrides) apply_override(config, assignment);
  return config;
}

RunConfig parse_config(const json& config) {
  if (!config.is_object()) fail("config", "must be a JSON object");
  const json defaults = default_config();
  for (const auto& [section, _] : config.items())
    if (!defaults.contains(section)) bad(section, "unknown section");
  RunConfig c;
  read_section(config, "data", c.data);
  read_section(config, "preprocessing", c.preprocessing);
  read_section(config, "model", c.model);
  read_section(config, "loss", c.loss);
  read_section(config, "optim", c.optim);
  read_section(config, "train", c.train);
  read_section(config, "validation", c.validation);
  for (const auto& [section, values] : config.items())
    for (const auto& [key, _] : values.items())
      if (!defaults.at(section).contains(key)) bad(section + "." + key, "unknown key");
  check(c.data);
  check(c.preprocessing);
  check(c.model);
  check(c.loss);
  check(c.optim);
  check(c.train);
  check(c.validation);
  return c;
}

}  // namespace shrewd::train
