#include "shrewd/formats/gzip.hpp"

#include <zlib.h>

#include <memory>

#include "shrewd/common/error.hpp"

namespace shrewd::formats {

std::vector<unsigned char> read_maybe_gzipped(const std::filesystem::path& path) {
  if (!std::filesystem::is_regular_file(path)) fail(path.string(), "no such file");
  std::unique_ptr<gzFile_s, decltype(&gzclose)> file(gzopen(path.c_str(), "rb"), &gzclose);
  if (!file) fail(path.string(), "cannot open");
  gzbuffer(file.get(), 1 << 17);
  std::vector<unsigned char> bytes;
  constexpr std::size_t chunk = 1 << 20;
  for (;;) {
    std::size_t old = bytes.size();
    bytes.resize(old + chunk);
    int got = gzread(file.get(), bytes.data() + old, unsigned(chunk));
    if (got < 0) {
      int code = 0;
      const char* message = gzerror(file.get(), &code);
      fail(path.string(), std::string("cannot read: ") + (message ? message : "zlib error"));
    }
    bytes.resize(old + std::size_t(got));
    if (got == 0) break;
  }
  int code = 0;
  const char* message = gzerror(file.get(), &code);
  if (code == Z_BUF_ERROR) fail(path.string(), "truncated: the gzip stream ends early");
  if (code != Z_OK)
    fail(path.string(), std::string("cannot read: ") + (message ? message : "zlib error"));
  return bytes;
}

}  // namespace shrewd::formats
