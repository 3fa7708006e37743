#include "shrewd/formats/idx.hpp"

#include <fmt/format.h>

#include "shrewd/common/error.hpp"
#include "shrewd/formats/gzip.hpp"

namespace shrewd::formats {
namespace {

struct IdxArray {
  std::vector<std::int64_t> shape;
  std::vector<unsigned char> bytes;  // the whole file; values start at `offset`
  std::size_t offset = 0;
};

std::uint32_t big_endian_u32(const unsigned char* p) {
  return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
}

// Reads an IDX file of unsigned bytes with `rank` dimensions; `what` names it in messages.
IdxArray read_idx_ubyte(const std::filesystem::path& path, int rank, const char* what) {
  const auto where = path.string();
  IdxArray array;
  array.bytes = read_maybe_gzipped(path);
  const auto& bytes = array.bytes;
  if (bytes.size() < 4) fail(where, "not an IDX file: shorter than its 4-byte magic number");
  if (bytes[0] != 0 || bytes[1] != 0)
    fail(where, "not an IDX file: wrong magic number (first two bytes must be zero)");
  if (bytes[2] != 0x08) fail(where, fmt::format("IDX element type {} is not unsigned byte (8)", bytes[2]));
  if (bytes[3] != rank)
    fail(where, fmt::format("IDX {} file must have {} dimensions, not {} (magic number 0x0000080{})", what, rank,
                            bytes[3], rank));
  array.offset = 4 + 4 * std::size_t(rank);
  if (bytes.size() < array.offset) fail(where, "truncated IDX header");
  std::size_t record = 1;
  for (int d = 0; d < rank; ++d) {
    array.shape.push_back(big_endian_u32(bytes.data() + 4 + 4 * d));
    if (d > 0) record *= std::size_t(array.shape.back());
  }
  if (rank > 1 && record == 0) fail(where, "IDX image size is zero");
  const std::size_t records = std::size_t(array.shape[0]);
  const std::size_t payload = bytes.size() - array.offset;
  if (payload < records * record) {
    fail(where, fmt::format("truncated: header promises {} {} but record {} is incomplete (file ends after {} bytes)",
                            records, what, payload / record, bytes.size()));
  }
  if (payload > records * record)
    fail(where, fmt::format("{} bytes after the last of {} {}", payload - records * record, records, what));
  return array;
}

std::filesystem::path find_idx_file(const std::filesystem::path& dir, const std::string& stem) {
  for (const char* suffix : {"", ".gz"}) {
    auto candidate = dir / (stem + suffix);
    if (std::filesystem::is_regular_file(candidate)) return candidate;
  }
  fail(dir.string(), fmt::format("no {} or {}.gz here", stem, stem));
}

LabelledImages read_mnist_layout(const std::filesystem::path& dir, bool train, std::vector<std::string> names) {
  const std::string prefix = train ? "train" : "t10k";
  const auto images = find_idx_file(dir, prefix + "-images-idx3-ubyte");
  auto data = read_idx(images, find_idx_file(dir, prefix + "-labels-idx1-ubyte"), std::int64_t(names.size()));
  data.class_names = std::move(names);
  return data;
}

}  // namespace

ImageArray read_idx_images(const std::filesystem::path& path) {
  auto array = read_idx_ubyte(path, 3, "images");
  ImageArray images;
  images.count = array.shape[0];
  images.channels = 1;
  images.height = array.shape[1];
  images.width = array.shape[2];
  images.pixels.assign(array.bytes.begin() + std::ptrdiff_t(array.offset), array.bytes.end());
  return images;
}

std::vector<std::int64_t> read_idx_labels(const std::filesystem::path& path, std::int64_t num_classes) {
  auto array = read_idx_ubyte(path, 1, "labels");
  std::vector<std::int64_t> labels(std::size_t(array.shape[0]));
  const unsigned char* in = array.bytes.data() + array.offset;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (num_classes > 0 && in[i] >= num_classes)
      fail(path.string(), fmt::format("record {}: label {} out of range 0..{}", i, in[i], num_classes - 1));
    labels[i] = in[i];
  }
  return labels;
}

LabelledImages read_idx(const std::filesystem::path& images, const std::filesystem::path& labels, std::int64_t num_classes) {
  LabelledImages data;
  data.source = images.string();
  data.images = read_idx_images(images);
  data.labels = read_idx_labels(labels, num_classes);
  const auto n = data.images.count;
  if (std::int64_t(data.labels.size()) != n)
    fail(labels.string(), fmt::format("{} labels for the {} images of {}", data.labels.size(), n, images.string()));
  return data;
}

const std::vector<std::string>& fashion_mnist_class_names() {
  static const std::vector<std::string> names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                                 "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  return names;
}

LabelledImages read_fashion_mnist(const std::filesystem::path& dir, bool train) {
  return read_mnist_layout(dir, train, fashion_mnist_class_names());
}

LabelledImages read_mnist(const std::filesystem::path& dir, bool train) {
  return read_mnist_layout(dir, train, {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"});
}

}  // namespace shrewd::formats
