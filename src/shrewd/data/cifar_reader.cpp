#include "shrewd/data/cifar_reader.hpp"

#include "shrewd/formats/cifar.hpp"

namespace shrewd::data {

Dataset load_cifar10(const std::filesystem::path& dir, bool train) {
  return to_dataset(formats::read_cifar10(dir, train));
}

Dataset load_cifar100(const std::filesystem::path& dir, bool train, bool coarse_labels) {
  return to_dataset(formats::read_cifar100(dir, train, coarse_labels));
}

}  // namespace shrewd::data
