#pragma once

#include <httplib.h>

#include <chrono>

namespace shrewd::net {

// cpp-httplib 0.11 bounds each read of a connection (its read timeout), not a whole request: a
// client that sends one header byte every few seconds holds one of the server's few threads for
// as long as it likes, and a handful of them block every other client. This server keeps the
// library's parsing and routing but serves each connection itself (the library's connection hook,
// with its protected process_request), through a socket stream whose reads and writes all stop at
// one deadline per request:
// - a connection that sends nothing is closed after the keep-alive timeout (as before);
// - from the first byte of a request, reading it, handling it and writing the answer must end
//   within the request timeout, or the connection is closed.
// Each single read or write is still bounded by the read and write timeouts.
class RequestDeadlineServer : public httplib::Server {
 public:
  using Duration = std::chrono::milliseconds;
  explicit RequestDeadlineServer(Duration request_timeout) : request_timeout_(request_timeout) {}

 private:
  bool process_and_close_socket(socket_t sock) override;

  Duration request_timeout_;
};

}  // namespace shrewd::net
