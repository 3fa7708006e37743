#pragma once

#include <chrono>
#include <string>

namespace shrewd::train {

// Data-parallel training over N processes (`shrewd train --world-size N --rank R --rendezvous URL`).
// rendezvous: "tcp://HOST:PORT" (a c10d TCPStore; rank 0 listens on PORT, on HOST's machine) or
// "file:///PATH" (a c10d FileStore: a file every rank can reach, e.g. on one machine; it must not
// exist before the run and is removed by the last rank to leave).
struct DistributedOptions {
  int world_size = 1;
  int rank = 0;
  std::string rendezvous;
  std::chrono::seconds timeout{300};  // for the rendezvous and every collective

  bool enabled() const { return world_size > 1; }
};

// Fails with an Error naming the option unless 1 <= world_size, 0 <= rank < world_size and, with
// more than one process, the rendezvous is tcp://HOST:PORT or file:///PATH.
void check_distributed_options(const DistributedOptions& options);

struct Rendezvous {
  enum class Kind { Tcp, File } kind = Kind::Tcp;
  std::string host;  // tcp
  int port = 0;      // tcp
  std::string path;  // file
};
Rendezvous parse_rendezvous(const std::string& url);

}  // namespace shrewd::train
