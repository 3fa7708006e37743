#pragma once

#include <filesystem>
#include <vector>

namespace shrewd::formats {

// The whole content of a file, decompressed when it is gzip (zlib reads plain files as they are).
std::vector<unsigned char> read_maybe_gzipped(const std::filesystem::path& path);

}  // namespace shrewd::formats
