#include "shrewd/data/idx_reader.hpp"

#include <ATen/ATen.h>

#include "shrewd/common/error.hpp"
#include "shrewd/data/gz_file.hpp"

namespace shrewd::data {
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
  if (bytes[2] != 0x08) fail(where, "IDX element type " + std::to_string(bytes[2]) + " is not unsigned byte (8)");
  if (bytes[3] != rank)
    fail(where, std::string("IDX ") + what + " file must have " + std::to_string(rank) + " dimensions, not " +
                    std::to_string(bytes[3]) + " (magic number 0x0000080" + std::to_string(rank) + ")");
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
    fail(where, "truncated: header promises " + std::to_string(records) + " " + what + " but record " +
                    std::to_string(payload / record) + " is incomplete (file ends after " +
                    std::to_string(bytes.size()) + " bytes)");
  }
  if (payload > records * record)
    fail(where, std::to_string(payload - records * record) + " bytes after the last of " +
                    std::to_string(records) + " " + what);
  return array;
}

}  // namespace

Dataset read_idx(const std::filesystem::path& images, const std::filesystem::path& labels, std::int64_t num_classes) {
  auto image_array = read_idx_ubyte(images, 3, "images");
  auto label_array = read_idx_ubyte(labels, 1, "labels");
  const auto n = image_array.shape[0];
  if (label_array.shape[0] != n)
    fail(labels.string(), std::to_string(label_array.shape[0]) + " labels for the " + std::to_string(n) + " images of " +
                              images.string());

  Dataset dataset;
  dataset.source = images.string();
  const auto h = image_array.shape[1], w = image_array.shape[2];
  auto raw = at::from_blob(image_array.bytes.data() + image_array.offset, {n, 1, h, w}, at::kByte);
  dataset.inputs = raw.to(at::kFloat).div_(255.0f);

  dataset.labels = at::empty({n}, at::kLong);
  auto* out = dataset.labels.data_ptr<std::int64_t>();
  const unsigned char* in = label_array.bytes.data() + label_array.offset;
  for (std::int64_t i = 0; i < n; ++i) {
    if (num_classes > 0 && in[i] >= num_classes)
      fail(labels.string(), "record " + std::to_string(i) + ": label " + std::to_string(in[i]) + " out of range 0.." +
                                std::to_string(num_classes - 1));
    out[i] = in[i];
  }
  validate(dataset);
  return dataset;
}

const std::vector<std::string>& fashion_mnist_class_names() {
  static const std::vector<std::string> names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                                 "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  return names;
}

namespace {

std::filesystem::path find_idx_file(const std::filesystem::path& dir, const std::string& stem) {
  for (const char* suffix : {"", ".gz"}) {
    auto candidate = dir / (stem + suffix);
    if (std::filesystem::is_regular_file(candidate)) return candidate;
  }
  fail(dir.string(), "no " + stem + " or " + stem + ".gz here");
}

Dataset load_mnist_layout(const std::filesystem::path& dir, bool train, std::vector<std::string> names) {
  const std::string prefix = train ? "train" : "t10k";
  auto dataset = read_idx(find_idx_file(dir, prefix + "-images-idx3-ubyte"),
                          find_idx_file(dir, prefix + "-labels-idx1-ubyte"), std::int64_t(names.size()));
  dataset.class_names = std::move(names);
  return dataset;
}

}  // namespace

Dataset load_fashion_mnist(const std::filesystem::path& dir, bool train) {
  return load_mnist_layout(dir, train, fashion_mnist_class_names());
}

Dataset load_mnist(const std::filesystem::path& dir, bool train) {
  return load_mnist_layout(dir, train, {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"});
}

}  // namespace shrewd::data
