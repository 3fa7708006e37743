#pragma once

#include <cstddef>
#include <filesystem>

namespace shrewd {

// A whole file mapped read-only and shared (mmap PROT_READ, MAP_SHARED), unmapped on destruction.
// Files shrewd writes are replaced by rename, never changed in place, so a mapping stays valid
// while the file is rewritten. An empty file maps to data() == nullptr, size() == 0.
class MappedFile {
 public:
  explicit MappedFile(const std::filesystem::path& path);
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  const std::byte* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  const std::byte* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace shrewd
