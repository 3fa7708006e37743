#include "shrewd/data/idx_reader.hpp"

#include "shrewd/formats/idx.hpp"

namespace shrewd::data {

Dataset read_idx(const std::filesystem::path& images, const std::filesystem::path& labels, std::int64_t num_classes) {
  return to_dataset(formats::read_idx(images, labels, num_classes));
}

Dataset load_fashion_mnist(const std::filesystem::path& dir, bool train) {
  return to_dataset(formats::read_fashion_mnist(dir, train));
}

Dataset load_mnist(const std::filesystem::path& dir, bool train) { return to_dataset(formats::read_mnist(dir, train)); }

}  // namespace shrewd::data
