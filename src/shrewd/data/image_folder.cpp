#include "shrewd/data/image_folder.hpp"

#include <ATen/ATen.h>
#include <stb_image.h>
#include <stb_image_resize.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "shrewd/common/error.hpp"
#include "shrewd/common/parallel.hpp"

namespace shrewd::data {
namespace {

void check_options(const ImageOptions& options) {
  if (options.width < 1 || options.height < 1 || options.width > 4096 || options.height > 4096)
    fail("image size", std::to_string(options.width) + "x" + std::to_string(options.height) + " is not in 1..4096");
  if (options.channels != 1 && options.channels != 3)
    fail("image channels", "must be 1 (grey) or 3 (RGB), not " + std::to_string(options.channels));
}

// Decodes into `out` (channels * height * width floats, channel planes).
void decode_into(const std::filesystem::path& path, const ImageOptions& options, float* out) {
  int width = 0, height = 0, found_channels = 0;
  std::unique_ptr<unsigned char, decltype(&stbi_image_free)> pixels(
      stbi_load(path.c_str(), &width, &height, &found_channels, options.channels), &stbi_image_free);
  if (!pixels) {
    const char* reason = stbi_failure_reason();
    fail(path.string(), std::string("unreadable image: ") + (reason ? reason : "unknown reason"));
  }
  const int c = options.channels, w = options.width, h = options.height;
  std::vector<unsigned char> resized;
  const unsigned char* source = pixels.get();
  if (width != w || height != h) {
    resized.resize(std::size_t(w) * std::size_t(h) * std::size_t(c));
    if (!stbir_resize_uint8(pixels.get(), width, height, 0, resized.data(), w, h, 0, c))
      fail(path.string(), "cannot resize the image");
    source = resized.data();
  }
  const std::size_t plane = std::size_t(w) * std::size_t(h);
  for (std::size_t p = 0; p < plane; ++p)
    for (int k = 0; k < c; ++k) out[std::size_t(k) * plane + p] = float(source[p * std::size_t(c) + std::size_t(k)]) / 255.0f;
}

bool is_image_file(const std::filesystem::path& path) {
  auto extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(), [](unsigned char ch) { return std::tolower(ch); });
  return extension == ".jpg" || extension == ".jpeg" || extension == ".png";
}

}  // namespace

at::Tensor load_images(const std::vector<std::filesystem::path>& paths, const ImageOptions& options) {
  check_options(options);
  const auto n = std::int64_t(paths.size());
  auto images = at::empty({n, options.channels, options.height, options.width}, at::kFloat);
  float* out = images.data_ptr<float>();
  const std::size_t item = std::size_t(options.channels) * std::size_t(options.height) * std::size_t(options.width);
  parallel_for(paths.size(), options.threads, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) decode_into(paths[i], options, out + i * item);
  });
  return images;
}

Dataset read_image_folder(const std::filesystem::path& root, const ImageOptions& options) {
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
  dataset.inputs = load_images(files, options);
  dataset.labels = at::tensor(labels, at::kLong);
  validate(dataset);
  return dataset;
}

}  // namespace shrewd::data
