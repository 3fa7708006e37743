#include "shrewd/formats/label_file.hpp"

#include "shrewd/common/npy.hpp"
#include "shrewd/formats/idx.hpp"

namespace shrewd::formats {

std::vector<std::int64_t> read_label_file(const std::filesystem::path& path) {
  if (path.extension() == ".npy") return read_npy_labels(path);
  return read_idx_labels(path);
}

}  // namespace shrewd::formats
