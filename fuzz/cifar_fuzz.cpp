// CIFAR binary batch files (src/shrewd/formats/cifar.*): the first byte picks CIFAR-10, CIFAR-100
// fine or coarse labels; the rest is one batch file.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/formats/cifar.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const auto variant = static_cast<shrewd::formats::CifarVariant>(data[0] % 3);
  shrewd::fuzz::TempPath file("cifar.bin");
  shrewd::fuzz::write_bytes(file.path(), data + 1, size - 1);
  try {
    (void)shrewd::formats::read_cifar_files({file.path()}, variant);
  } catch (const shrewd::Error&) {
  }
  return 0;
}
