#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

namespace shrewd::formats {

// Item labels from a .npy file (any integer dtype, rank 1) or, for any other extension, an IDX1
// unsigned-byte labels file, gzipped or not (e.g. train-labels-idx1-ubyte.gz).
std::vector<std::int64_t> read_label_file(const std::filesystem::path& path);

}  // namespace shrewd::formats
