#pragma once

#include <thread>

#include "shrewd/net/http_listener.hpp"

namespace shrewd::testing {

// Binds a server (any net::HttpListener) and serves it on a thread of its own until stop() or
// destruction.
class ServingThread {
 public:
  explicit ServingThread(net::HttpListener& server) : server_(server), port_(server.bind()) {
    thread_ = std::thread([this] { server_.serve(); });
  }
  ~ServingThread() { stop(); }
  ServingThread(const ServingThread&) = delete;
  ServingThread& operator=(const ServingThread&) = delete;

  int port() const { return port_; }
  void stop() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }

 private:
  net::HttpListener& server_;
  int port_;
  std::thread thread_;
};

}  // namespace shrewd::testing
