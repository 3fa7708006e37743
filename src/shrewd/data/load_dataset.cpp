#include "shrewd/data/load_dataset.hpp"

#include <ATen/ATen.h>
#include <fmt/format.h>

#include "shrewd/common/error.hpp"
#include "shrewd/common/npy.hpp"
#include "shrewd/data/caption_manifest.hpp"
#include "shrewd/data/class_labels.hpp"
#include "shrewd/data/cifar_reader.hpp"
#include "shrewd/data/idx_reader.hpp"
#include "shrewd/data/image_folder.hpp"
#include "shrewd/data/npy_dataset.hpp"

namespace shrewd::data {
namespace {

void require_path(const DataSource& source) {
  if (source.path.empty()) fail("data format " + source.format, "needs a path");
}

}  // namespace

Dataset load_dataset(const DataSource& source) {
  const auto& format = source.format;
  Dataset dataset;
  if (format == "fashion-mnist") {
    dataset = source.path.empty() ? load_fashion_mnist("/usr/share/datasets/fashion-mnist", source.train)
                                  : load_fashion_mnist(source.path, source.train);
  } else if (format == "mnist") {
    require_path(source);
    dataset = load_mnist(source.path, source.train);
  } else if (format == "idx") {
    require_path(source);
    if (source.labels.empty()) fail("data format idx", "needs a labels file");
    dataset = read_idx(source.path, source.labels);
  } else if (format == "cifar10") {
    require_path(source);
    dataset = load_cifar10(source.path, source.train);
  } else if (format == "cifar100") {
    require_path(source);
    dataset = load_cifar100(source.path, source.train, source.coarse_labels);
  } else if (format == "image-folder") {
    require_path(source);
    dataset = read_image_folder(source.path);
  } else if (format == "npy") {
    require_path(source);
    dataset = read_npy_features(source.path, source.labels);
  } else if (format == "captions") {
    require_path(source);
    if (source.embeddings.empty()) fail("data format captions", "needs an embeddings .npy file");
    return read_caption_manifest(source.path, source.embeddings);
  } else {
    fail("data format", "unknown format '" + format +
                            "' (known: fashion-mnist, mnist, idx, cifar10, cifar100, image-folder, npy, captions)");
  }
  if (!source.embeddings.empty()) {
    std::size_t rows = 0, columns = 0;
    auto values = read_npy_matrix_f32(source.embeddings, rows, columns);
    if (std::int64_t(rows) != dataset.size())
      fail(source.embeddings.string(),
           fmt::format("{} embedding rows for the {} items of {}", rows, dataset.size(), dataset.source));
    dataset.embeddings = at::from_blob(values.data(), {std::int64_t(rows), std::int64_t(columns)}, at::kFloat).clone();
    validate(dataset);
  }
  if (!source.classes.empty()) {
    semantics::ClassMatchOptions options;
    options.drop = source.drop_classes;
    dataset = with_class_list(dataset, semantics::ClassList::load(source.classes), options);
  }
  return dataset;
}

}  // namespace shrewd::data
