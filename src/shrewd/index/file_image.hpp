#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>

namespace shrewd {

// How a file's bytes are held in memory:
// - mapped: mmap (PROT_READ, MAP_SHARED), paged in on use and shared with the page cache. Fast to
//   open and costs no memory of its own, but the bytes are the file's: a file changed in place
//   changes them, and a truncated one kills the process with SIGBUS on the next read. Files
//   shrewd writes are replaced by rename, never changed in place, so a command that runs a while
//   and ends is safe.
// - copied: read into memory of the process's own (the file's size), so nothing done to the file
//   afterwards changes or endangers them. For servers, whose index must only change by a reload.
enum class FileResidence { mapped, copied };

// A whole file, read-only, 8-byte aligned (a mapping is page aligned), held as `residence` says.
// An empty file has data() == nullptr, size() == 0.
class FileImage {
 public:
  explicit FileImage(const std::filesystem::path& path, FileResidence residence = FileResidence::mapped);
  FileImage(const FileImage&) = delete;
  FileImage& operator=(const FileImage&) = delete;
  ~FileImage();

  const std::byte* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  const std::byte* data_ = nullptr;
  std::size_t size_ = 0;
  bool mapped_ = false;
  std::unique_ptr<std::uint64_t[]> copy_;
};

}  // namespace shrewd
