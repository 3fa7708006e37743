#pragma once

#include <memory>
#include <string>

#include "shrewd/net/http_listener.hpp"
#include "shrewd/serve/search_service.hpp"

namespace shrewd::serve {

struct HttpOptions {
  std::string host = "127.0.0.1";  // loopback unless the user asks for more
  int port = 8080;                 // 0: any free port (see bind())
  std::string token;               // non-empty: every /api/ route but /api/health needs "Bearer <token>"
  int threads = 8;                 // connections served at once
  int read_timeout_s = 5;           // each read or write
  int keep_alive_timeout_s = 2;     // an idle connection is closed after it
  int request_timeout_s = 10;       // a whole request, read and answered, from its first byte
};

// The HTTP front of a SearchService (cpp-httplib): routes, bearer-token check, size limits, JSON
// errors, the embedded web page. The routes are documented in docs/serve.md and docs/openapi.yaml.
// bind(), serve(), stop() and is_running() are the listener's (net/http_listener.hpp).
class HttpServer : public net::HttpListener {
 public:
  HttpServer(std::shared_ptr<SearchService> service, HttpOptions options);
  ~HttpServer() override;

 private:
  void add_routes();

  std::shared_ptr<SearchService> service_;
  HttpOptions options_;
};

}  // namespace shrewd::serve
