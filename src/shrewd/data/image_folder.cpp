#include "shrewd/data/image_folder.hpp"

#include <ATen/ATen.h>

#include <algorithm>
#include <cctype>

#include "shrewd/common/error.hpp"

namespace shrewd::data {
namespace {

bool is_image_file(const std::filesystem::path& path) {
  auto extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(), [](unsigned char ch) { return std::tolower(ch); });
  return extension == ".jpg" || extension == ".jpeg" || extension == ".png";
}

}  // namespace

Dataset read_image_folder(const std::filesystem::path& root) {
  if (!std::filesystem::is_directory(root)) fail(root.string(), "not a directory");
  std::vector<std::filesystem::path> class_dirs;
  for (const auto& entry : std::filesystem::directory_iterator(root))
    if (entry.is_directory()) class_dirs.push_back(entry.path());
  std::sort(class_dirs.begin(), class_dirs.end());
  if (class_dirs.empty()) fail(root.string(), "no class folders (expected one sub-folder of images per class)");

  Dataset dataset;
  dataset.source = root.string();
  std::vector<std::filesystem::path> files;
  std::vector<std::int64_t> labels;
  for (std::size_t label = 0; label < class_dirs.size(); ++label) {
    std::vector<std::filesystem::path> images;
    for (const auto& entry : std::filesystem::directory_iterator(class_dirs[label]))
      if (entry.is_regular_file() && is_image_file(entry.path())) images.push_back(entry.path());
    if (images.empty()) fail(class_dirs[label].string(), "class folder has no .jpg, .jpeg or .png images");
    std::sort(images.begin(), images.end());
    files.insert(files.end(), images.begin(), images.end());
    labels.insert(labels.end(), images.size(), std::int64_t(label));
    dataset.class_names.push_back(class_dirs[label].filename().string());
  }
  dataset.image_files = std::move(files);
  dataset.labels = at::tensor(labels, at::kLong);
  validate(dataset);
  return dataset;
}

}  // namespace shrewd::data
