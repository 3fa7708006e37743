#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "shrewd/serve/search_service.hpp"

namespace httplib {
class Server;
}

namespace shrewd::serve {

struct HttpOptions {
  std::string host = "127.0.0.1";  // loopback unless the user asks for more
  int port = 8080;                 // 0: any free port (see bind())
  std::string token;               // non-empty: every /api/ route but /api/health needs "Bearer <token>"
  int threads = 8;                 // connections served at once
  int read_timeout_s = 5;
  int keep_alive_timeout_s = 2;
};

// The HTTP front of a SearchService (cpp-httplib): routes, bearer-token check, size limits, JSON
// errors, the embedded web page. The routes are documented in docs/serve.md and docs/openapi.yaml.
class HttpServer {
 public:
  HttpServer(std::shared_ptr<SearchService> service, HttpOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds the listening socket and returns the port (the chosen one when options.port is 0).
  // Fails with an Error naming the address when it cannot.
  int bind();
  // Serves until stop(); bind() must have succeeded.
  void serve();
  // Safe from any thread, before, during or after serve(); serve() then returns (at once, if it
  // had not started). In-flight requests finish.
  void stop();
  bool is_running() const;

 private:
  void add_routes();

  std::shared_ptr<SearchService> service_;
  HttpOptions options_;
  std::unique_ptr<httplib::Server> server_;
  std::mutex state_mutex_;
  bool stop_requested_ = false;
  bool serving_ = false;
  std::atomic<bool> listen_returned_{false};
};

}  // namespace shrewd::serve
