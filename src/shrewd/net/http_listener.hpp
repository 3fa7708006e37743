#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>

namespace httplib {
class Server;
struct Request;
}

namespace shrewd::net {

struct ListenOptions {
  std::string host = "127.0.0.1";  // loopback unless the user asks for more
  int port = 0;                    // 0: any free port (bind() returns it)
  int threads = 4;                 // requests served at once
  // From its first byte, a request must be read and answered within this time, or its connection
  // is closed (net/request_deadline.hpp): slow clients cannot hold the threads.
  std::chrono::milliseconds request_timeout{std::chrono::seconds(10)};
};

// The socket and life cycle of an HTTP server on cpp-httplib, as every shrewd server runs it: a
// fixed pool of `threads` connections, each request bounded as a whole by `request_timeout`;
// SO_REUSEADDR but not the library's default SO_REUSEPORT (which
// would let a second server bind the same port and silently share its requests); SIGPIPE ignored
// (a client that hangs up while its answer is written costs that connection only, not the
// process). The server built on it adds its routes and settings to http().
// For the pre-routing handler of every server, before any body is read. cpp-httplib 0.11 reads a
// chunked body whatever its size (set_payload_max_length checks Content-Length only), and a
// request with neither Content-Length nor Transfer-Encoding until the connection closes (curl -X
// POST without data keeps it open: 400 at the read timeout). So a chunked body is refused (411,
// returned for the server to send in its format), and a request with neither header gets
// Content-Length: 0, its body length by HTTP/1.1 (RFC 9112 section 6.3). Returns the status and
// reason of a refusal, or status 0.
struct BodyCheck {
  int status = 0;
  std::string message;
};
BodyCheck check_request_body(const httplib::Request& request);

class HttpListener {
 public:
  explicit HttpListener(ListenOptions options);
  virtual ~HttpListener();  // stops
  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  // Binds the listening socket and returns the port (the chosen one when the port is 0). Fails
  // with an Error naming the address when it cannot.
  int bind();
  // Serves until stop(); bind() must have succeeded.
  void serve();
  // Safe from any thread, before, during or after serve(); serve() then returns (at once, if it
  // had not started). In-flight requests finish.
  void stop();
  bool is_running() const;

  const ListenOptions& listen_options() const { return options_; }

 protected:
  httplib::Server& http() { return *server_; }

 private:
  ListenOptions options_;
  std::unique_ptr<httplib::Server> server_;
  std::mutex state_mutex_;
  bool stop_requested_ = false;
  bool serving_ = false;
  std::atomic<bool> listen_returned_{false};
};

}  // namespace shrewd::net
