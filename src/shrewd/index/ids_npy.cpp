#include "shrewd/index/ids_npy.hpp"

#include <fmt/format.h>
#include <string>

#include "shrewd/common/error.hpp"
#include "shrewd/common/npy.hpp"

namespace shrewd {

std::vector<std::uint64_t> read_ids_npy(const std::filesystem::path& path, std::size_t expected) {
  return ids_from_npy(read_npy(path), expected);
}

std::vector<std::uint64_t> ids_from_npy(const NpyArray& array, std::size_t expected) {
  array.require_rank(1);
  std::vector<std::uint64_t> ids;
  if (array.dtype == DType::UInt64) {
    const auto values = array.values<std::uint64_t>();
    ids.assign(values.begin(), values.end());
    for (std::uint64_t id : ids)
      if (id >> 63) fail(array.source, fmt::format("id {} is not below 2^63", id));
  } else {
    for (std::int64_t id : integers_as_int64(array)) {
      if (id < 0) fail(array.source, fmt::format("id {} is negative: ids must be 0 .. 2^63-1", id));
      ids.push_back(std::uint64_t(id));
    }
  }
  if (expected != std::size_t(-1) && ids.size() != expected)
    fail(array.source, fmt::format("has {} ids but the codes file has {} codes", ids.size(), expected));
  return ids;
}

}  // namespace shrewd
