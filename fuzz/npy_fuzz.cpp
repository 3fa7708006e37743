// .npy reader (src/shrewd/common/npy.*): read_npy and the convenience readers on top of it.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/common/npy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  shrewd::fuzz::TempPath file("npy.npy");
  shrewd::fuzz::write_bytes(file.path(), data, size);
  try {
    const shrewd::NpyArray array = shrewd::read_npy(file.path());
    (void)array.shape_text();
    if (array.dtype != shrewd::DType::Float32 && array.dtype != shrewd::DType::Float64 &&
        array.dtype != shrewd::DType::Bool)
      (void)shrewd::integers_as_int64(array);
  } catch (const shrewd::Error&) {
  }
  try {
    std::size_t rows = 0, columns = 0;
    (void)shrewd::read_npy_matrix_f32(file.path(), rows, columns);
  } catch (const shrewd::Error&) {
  }
  try {
    (void)shrewd::read_npy_labels(file.path());
  } catch (const shrewd::Error&) {
  }
  return 0;
}
