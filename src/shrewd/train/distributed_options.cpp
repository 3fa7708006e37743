#include "shrewd/train/distributed_options.hpp"

#include <charconv>
#include <fmt/format.h>

#include "shrewd/common/error.hpp"

namespace shrewd::train {

Rendezvous parse_rendezvous(const std::string& url) {
  const std::string where = "--rendezvous " + url;
  Rendezvous r;
  if (url.rfind("file://", 0) == 0) {
    r.kind = Rendezvous::Kind::File;
    r.path = url.substr(7);
    if (r.path.empty() || r.path[0] != '/') fail(where, "a file store needs an absolute path: file:///PATH");
    return r;
  }
  if (url.rfind("tcp://", 0) != 0) fail(where, "must be tcp://HOST:PORT or file:///PATH");
  const std::string address = url.substr(6);
  const auto colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0) fail(where, "must be tcp://HOST:PORT");
  r.host = address.substr(0, colon);
  const char* first = address.data() + colon + 1;
  const char* last = address.data() + address.size();
  const auto [end, error] = std::from_chars(first, last, r.port);
  if (error != std::errc() || end != last || r.port <= 0 || r.port > 65535)
    fail(where, "the port must be a number in 1..65535");
  return r;
}

void check_distributed_options(const DistributedOptions& options) {
  if (options.world_size < 1) fail("--world-size", "must be at least 1");
  if (options.rank < 0 || options.rank >= options.world_size)
    fail("--rank", fmt::format("{} is not in 0 .. world size - 1 = {}", options.rank, options.world_size - 1));
  if (options.world_size > 1) {
    if (options.rendezvous.empty()) fail("--rendezvous", "is needed with --world-size above 1");
    parse_rendezvous(options.rendezvous);
  }
  if (options.timeout.count() <= 0) fail("distributed timeout", "must be positive");
}

}  // namespace shrewd::train
