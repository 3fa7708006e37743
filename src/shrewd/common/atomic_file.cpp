#include "shrewd/common/atomic_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <system_error>
#include <unistd.h>

#include "shrewd/common/error.hpp"

namespace shrewd {

namespace {
std::string system_error_text() { return std::strerror(errno); }

// Removes "<target>.tmp-<pid>" files beside the target whose writer process no longer exists (a
// write killed before its commit or cleanup). Temporaries of live processes are left alone.
void remove_stale_temporaries(const std::filesystem::path& target) {
  const std::string prefix = target.filename().string() + ".tmp-";
  std::filesystem::path directory = target.parent_path();
  if (directory.empty()) directory = ".";
  std::error_code error;
  std::filesystem::directory_iterator it(directory, error), end;
  for (; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= prefix.size() || name.size() > prefix.size() + 9 || name.compare(0, prefix.size(), prefix) != 0)
      continue;
    const std::string digits = name.substr(prefix.size());
    if (digits.find_first_not_of("0123456789") != std::string::npos) continue;
    const long pid = std::stol(digits);
    if (pid <= 0 || pid == ::getpid()) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // alive, or not ours to judge
    std::error_code ignored;
    std::filesystem::remove(it->path(), ignored);
  }
}
}  // namespace

AtomicFile::AtomicFile(std::filesystem::path target)
    : target_(std::move(target)),
      temporary_(fmt::format("{}.tmp-{}", target_.string(), ::getpid())) {
  remove_stale_temporaries(target_);
  fd_ = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) fail(target_.string(), "cannot create file: " + system_error_text());
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(temporary_.c_str());
  }
}

void AtomicFile::write(const void* data, std::size_t size) {
  const char* bytes = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t written = ::write(fd_, bytes, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      fail(target_.string(), "write failed: " + system_error_text());
    }
    bytes += written;
    size -= static_cast<std::size_t>(written);
  }
}

void AtomicFile::commit() {
  if (::fsync(fd_) != 0) fail(target_.string(), "fsync failed: " + system_error_text());
  if (::close(fd_) != 0) {
    fd_ = -1;
    ::unlink(temporary_.c_str());
    fail(target_.string(), "close failed: " + system_error_text());
  }
  fd_ = -1;
  if (::rename(temporary_.c_str(), target_.c_str()) != 0) {
    std::string reason = system_error_text();
    ::unlink(temporary_.c_str());
    fail(target_.string(), "cannot rename the finished file into place: " + reason);
  }
}

void write_text_file(const std::filesystem::path& path, std::string_view text) {
  AtomicFile file(path);
  file.write(text);
  file.commit();
}

}  // namespace shrewd
