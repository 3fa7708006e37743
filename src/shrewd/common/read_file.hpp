#pragma once

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <string>
#include <system_error>

#include "shrewd/common/error.hpp"

namespace shrewd {

// The whole content of a file, as bytes. Works for files whose size is not known in advance
// (/proc, pipes). `what` names the file in messages: Error("<path>: cannot open <what>: <reason>").
inline std::string read_file(const std::filesystem::path& path, const std::string& what = "the file") {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path.string(), fmt::format("cannot open {}: {}", what, std::strerror(errno)));
  std::string bytes;
  std::error_code ignored;
  if (const auto size = std::filesystem::file_size(path, ignored); !ignored) bytes.reserve(std::size_t(size));
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) bytes.append(buffer, std::size_t(in.gcount()));
  if (in.bad()) fail(path.string(), fmt::format("cannot read {}: {}", what, std::strerror(errno)));
  return bytes;
}

}  // namespace shrewd
