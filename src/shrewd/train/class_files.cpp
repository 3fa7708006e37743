#include "shrewd/train/class_files.hpp"

#include <cstdlib>
#include <optional>

#include "shrewd/common/error.hpp"
#include "shrewd/train/run_options.hpp"

namespace shrewd::train {
namespace {

// The shipped hierarchy of a data format, or "" when there is none.
std::string shipped_hierarchy_name(const DataConfig& data) {
  if (data.format == "fashion-mnist") return "fashion-mnist";
  if (data.format == "cifar100" && !data.coarse_labels) return "cifar100";
  return {};
}

std::string existing_file(const std::string& key, const std::filesystem::path& path) {
  if (!std::filesystem::is_regular_file(path)) {
    std::string message = path.string() + " does not exist";
    if (path.is_relative())
      message += " (a relative path is read from the working directory, " + std::filesystem::current_path().string() + ")";
    fail("config " + key, message);
  }
  return std::filesystem::absolute(path).lexically_normal().string();
}

}  // namespace

std::filesystem::path shipped_data_dir() {
  if (const char* dir = std::getenv("SHREWD_DATA_DIR"); dir && *dir) return dir;
  return SHREWD_SHIPPED_DATA_DIR;
}

RunConfig with_class_files(RunConfig c) {
  auto& loss = c.loss;
  // A shipped hierarchy by name (fashion-mnist, cifar100, imagenet1k): its files, wherever the run starts.
  const auto shipped_dir = [](const std::string& name) -> std::optional<std::filesystem::path> {
    if (name.empty() || name.find('/') != std::string::npos) return std::nullopt;
    const auto dir = shipped_data_dir() / "hierarchies" / name;
    if (!std::filesystem::is_directory(dir)) return std::nullopt;
    return dir;
  };
  if (const auto dir = shipped_dir(loss.hierarchy)) {
    loss.hierarchy = (*dir / "hierarchy.txt").string();
    if (loss.classes.empty()) loss.classes = (*dir / "classes.txt").string();
  }
  if (const auto dir = shipped_dir(loss.classes)) loss.classes = (*dir / "classes.txt").string();
  if (loss.hierarchy.empty() != loss.classes.empty() && loss.targets == TargetKind::Hierarchy)
    fail(loss.hierarchy.empty() ? "config loss.hierarchy" : "config loss.classes",
         "is not set but " + std::string(loss.hierarchy.empty() ? "loss.classes" : "loss.hierarchy") +
             " is: a hierarchy goes with the classes file that puts the data's classes on its nodes");
  if (loss.targets == TargetKind::Hierarchy && loss.hierarchy.empty()) {
    const std::string name = shipped_hierarchy_name(c.data);
    if (name.empty())
      fail("config loss.hierarchy",
           "hierarchy targets need loss.hierarchy and loss.classes for data.format " + c.data.format +
               " (for ImageNet-1k: " + (shipped_data_dir() / "hierarchies/imagenet1k").string() +
               "/hierarchy.txt and classes.txt; docs/semantics.md builds one from WordNet), or loss.targets=labels");
    const auto dir = shipped_data_dir() / "hierarchies" / name;
    if (!std::filesystem::is_regular_file(dir / "hierarchy.txt") || !std::filesystem::is_regular_file(dir / "classes.txt"))
      fail("config loss.hierarchy", "is not set, and the hierarchy shipped for " + name + " is not in " + dir.string() +
                                        "; set loss.hierarchy and loss.classes, or SHREWD_DATA_DIR to shrewd's data/ directory");
    loss.hierarchy = (dir / "hierarchy.txt").string();
    loss.classes = (dir / "classes.txt").string();
  }
  if (!loss.hierarchy.empty()) loss.hierarchy = existing_file("loss.hierarchy", loss.hierarchy);
  if (!loss.classes.empty()) loss.classes = existing_file("loss.classes", loss.classes);
  return c;
}

data::DataSource training_source(const RunConfig& c) {
  auto source = data_source(c.data);
  source.classes = c.loss.classes;
  source.drop_classes = c.data.drop_classes;
  if (!source.drop_classes.empty() && source.classes.empty())
    fail("config data.drop_classes", "names classes of loss.classes, which is not set");
  return source;
}

}  // namespace shrewd::train
