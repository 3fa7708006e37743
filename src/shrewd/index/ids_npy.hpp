#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "shrewd/common/npy.hpp"

namespace shrewd {

// Item ids from .npy: a 1-D array of any integer dtype, every id in 0 .. 2^63 - 1 (results carry
// ids as int64). With `expected` given, the file must hold exactly that many ids (one per code).
// Fails with an Error naming the file otherwise.
std::vector<std::uint64_t> read_ids_npy(const std::filesystem::path& path, std::size_t expected = std::size_t(-1));
// The same for an array in memory (errors name array.source).
std::vector<std::uint64_t> ids_from_npy(const NpyArray& array, std::size_t expected = std::size_t(-1));

}  // namespace shrewd
