#pragma once
// Helpers shared by the fuzz targets (fuzz/README in docs/fuzzing.md). Readers that take a path get
// the input written to a temporary file that is removed again after every run, whatever happens.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace shrewd::fuzz {

// A file (or folder) under the temporary directory named after this process, removed on destruction.
class TempPath {
 public:
  explicit TempPath(const std::string& name)
      : path_(std::filesystem::temp_directory_path() /
              ("shrewd-fuzz-" + std::to_string(::getpid()) + "-" + name)) {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ~TempPath() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempPath(const TempPath&) = delete;
  TempPath& operator=(const TempPath&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline void write_bytes(const std::filesystem::path& path, const void* data, std::size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(static_cast<const char*>(data), std::streamsize(size));
}

inline void write_bytes(const std::filesystem::path& path, std::string_view bytes) {
  write_bytes(path, bytes.data(), bytes.size());
}

// Splits an input into two parts: the first two bytes give the length of the first part (clamped).
inline std::pair<std::string_view, std::string_view> split_two(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return {{}, {}};
  std::size_t first = std::size_t(data[0]) | std::size_t(data[1]) << 8;
  const std::string_view rest(reinterpret_cast<const char*>(data + 2), size - 2);
  if (first > rest.size()) first = rest.size();
  return {rest.substr(0, first), rest.substr(first)};
}

}  // namespace shrewd::fuzz
