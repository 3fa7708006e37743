#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace shrewd {

// Writes a file so that readers see either the old file or the complete new one: the bytes go to
// a temporary file beside the target, are flushed to disk, and commit() renames it over the
// target. Destroyed without commit() (an exception), the temporary file is removed. The temporary
// is "<target>.tmp-<pid>"; one left by a killed process is removed by the next write of the same
// target once that process no longer exists.
class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path target);
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  void write(const void* data, std::size_t size);
  void write(std::string_view text) { write(text.data(), text.size()); }
  void commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path temporary_;
  int fd_ = -1;
};

// Writes the whole text atomically.
void write_text_file(const std::filesystem::path& path, std::string_view text);

}  // namespace shrewd
