#include "shrewd/formats/cifar.hpp"

#include <cstring>
#include <fmt/format.h>
#include <fstream>

#include "shrewd/common/error.hpp"
#include "shrewd/common/read_file.hpp"

namespace shrewd::formats {
namespace {

constexpr std::int64_t kPixels = 3 * 32 * 32;

// The non-empty lines of a text file of class names, or {} when there is no such file.
std::vector<std::string> read_names(const std::filesystem::path& path) {
  std::vector<std::string> names;
  std::ifstream in(path);
  if (!in) return names;
  for (std::string line; std::getline(in, line);) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty()) names.push_back(line);
  }
  return names;
}

}  // namespace

LabelledImages read_cifar_files(const std::vector<std::filesystem::path>& files, CifarVariant variant) {
  if (files.empty()) fail("CIFAR reader", "no files given");
  const std::int64_t label_bytes = variant == CifarVariant::Cifar10 ? 1 : 2;
  const std::int64_t label_offset = variant == CifarVariant::Cifar100Fine ? 1 : 0;
  const std::int64_t classes = variant == CifarVariant::Cifar10 ? 10 : variant == CifarVariant::Cifar100Fine ? 100 : 20;
  const std::int64_t record = label_bytes + kPixels;

  std::vector<std::string> contents;
  std::int64_t total = 0;
  for (const auto& file : files) {
    contents.push_back(read_file(file));
    const auto size = std::int64_t(contents.back().size());
    if (size == 0) fail(file.string(), "empty file");
    if (size % record != 0)
      fail(file.string(), fmt::format("truncated record {}: the size {} is not a multiple of the {}-byte {} record",
                                      size / record, size, record,
                                      variant == CifarVariant::Cifar10 ? "CIFAR-10" : "CIFAR-100"));
    total += size / record;
  }

  LabelledImages data;
  data.source = files.front().string();
  data.images.count = total;
  data.images.channels = 3;
  data.images.height = data.images.width = 32;
  data.images.pixels.resize(std::size_t(total * kPixels));
  data.labels.resize(std::size_t(total));
  std::int64_t row = 0;
  for (std::size_t f = 0; f < files.size(); ++f) {
    const auto& bytes = contents[f];
    const auto records = std::int64_t(bytes.size()) / record;
    for (std::int64_t r = 0; r < records; ++r, ++row) {
      const auto* at_record = reinterpret_cast<const unsigned char*>(bytes.data()) + r * record;
      const std::int64_t label = at_record[label_offset];
      if (label >= classes)
        fail(files[f].string(), fmt::format("record {}: label {} out of range 0..{}", r, label, classes - 1));
      data.labels[std::size_t(row)] = label;
      std::memcpy(data.images.pixels.data() + row * kPixels, at_record + label_bytes, kPixels);
    }
  }
  return data;
}

LabelledImages read_cifar10(const std::filesystem::path& dir, bool train) {
  std::vector<std::filesystem::path> files;
  if (train)
    for (int i = 1; i <= 5; ++i) files.push_back(dir / fmt::format("data_batch_{}.bin", i));
  else
    files.push_back(dir / "test_batch.bin");
  for (const auto& file : files)
    if (!std::filesystem::is_regular_file(file)) fail(file.string(), "no such file (expected the CIFAR-10 binary layout)");
  auto data = read_cifar_files(files, CifarVariant::Cifar10);
  data.source = dir.string();
  auto names = read_names(dir / "batches.meta.txt");
  if (!names.empty() && names.size() != 10)
    fail((dir / "batches.meta.txt").string(), fmt::format("has {} class names, not 10", names.size()));
  data.class_names = std::move(names);
  return data;
}

LabelledImages read_cifar100(const std::filesystem::path& dir, bool train, bool coarse_labels) {
  auto file = dir / (train ? "train.bin" : "test.bin");
  if (!std::filesystem::is_regular_file(file)) fail(file.string(), "no such file (expected the CIFAR-100 binary layout)");
  auto data = read_cifar_files({file}, coarse_labels ? CifarVariant::Cifar100Coarse : CifarVariant::Cifar100Fine);
  data.source = file.string();
  const auto names_file = dir / (coarse_labels ? "coarse_label_names.txt" : "fine_label_names.txt");
  auto names = read_names(names_file);
  const std::size_t expected = coarse_labels ? 20 : 100;
  if (!names.empty() && names.size() != expected)
    fail(names_file.string(), fmt::format("has {} class names, not {}", names.size(), expected));
  data.class_names = std::move(names);
  return data;
}

}  // namespace shrewd::formats
