#include "shrewd/index/file_image.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <new>

#include "shrewd/common/error.hpp"

namespace shrewd {
namespace {

// Closes the descriptor however the constructor leaves.
struct Descriptor {
  int fd;
  ~Descriptor() { ::close(fd); }
};

}  // namespace

FileImage::FileImage(const std::filesystem::path& path, FileResidence residence) {
  const Descriptor file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) fail(path.string(), std::string("cannot open: ") + std::strerror(errno));
  struct stat info {};
  if (::fstat(file.fd, &info) != 0) fail(path.string(), std::string("cannot stat: ") + std::strerror(errno));
  if (!S_ISREG(info.st_mode)) fail(path.string(), "not a regular file");
  size_ = std::size_t(info.st_size);
  if (size_ == 0) return;
  if (residence == FileResidence::mapped) {
    void* mapped = ::mmap(nullptr, size_, PROT_READ, MAP_SHARED, file.fd, 0);
    if (mapped == MAP_FAILED) fail(path.string(), std::string("cannot memory-map: ") + std::strerror(errno));
    data_ = static_cast<const std::byte*>(mapped);
    mapped_ = true;
    return;
  }
  try {
    copy_ = std::make_unique_for_overwrite<std::uint64_t[]>(size_ / 8 + 1);
  } catch (const std::bad_alloc&) {
    fail(path.string(), fmt::format("cannot hold its {} bytes in memory", size_));
  }
  auto* bytes = reinterpret_cast<std::byte*>(copy_.get());
  for (std::size_t done = 0; done < size_;) {
    const ssize_t n = ::pread(file.fd, bytes + done, size_ - done, off_t(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(path.string(), std::string("cannot read: ") + std::strerror(errno));
    if (n == 0) fail(path.string(), fmt::format("shrank from {} to {} bytes while being read", size_, done));
    done += std::size_t(n);
  }
  data_ = bytes;
}

FileImage::~FileImage() {
  if (mapped_) ::munmap(const_cast<std::byte*>(data_), size_);
}

}  // namespace shrewd
