#include "shrewd/net/http_listener.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include <chrono>
#include <csignal>
#include <thread>

#include "shrewd/common/error.hpp"
#include "shrewd/net/request_deadline.hpp"

namespace shrewd::net {

BodyCheck check_request_body(const httplib::Request& request) {
  if (request.has_header("Transfer-Encoding"))
    return {411, "chunked request bodies are not accepted: send the body with a Content-Length"};
  // The request object is the library's own, not const: adding the header is what makes its body
  // reader read nothing instead of waiting for the connection to close.
  if (!request.has_header("Content-Length")) const_cast<httplib::Request&>(request).set_header("Content-Length", "0");
  return {};
}

HttpListener::HttpListener(ListenOptions options)
    : options_(std::move(options)),
      server_(std::make_unique<RequestDeadlineServer>(options_.request_timeout)) {
  if (options_.threads < 1) fail("--threads", "must be at least 1");
  if (options_.request_timeout.count() < 1) fail("--request-timeout", "must be positive");
  std::signal(SIGPIPE, SIG_IGN);
  const auto threads = std::size_t(options_.threads);
  server_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server_->set_socket_options([](socket_t socket) {
    int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
}

HttpListener::~HttpListener() { stop(); }

int HttpListener::bind() {
  const std::string& host = options_.host;
  const int port = options_.port;
  if (port < 0 || port > 65535) fail("--port", fmt::format("{} is not a port (0 to 65535)", port));
  if (port == 0) {
    const int chosen = server_->bind_to_any_port(host);
    if (chosen <= 0) fail("--host", fmt::format("cannot listen on {} (not an address of this machine?)", host));
    return chosen;
  }
  if (!server_->bind_to_port(host, port))
    fail("--host/--port", fmt::format("cannot listen on {}:{} (port in use, or not an address of this machine?)",
                                      host, port));
  return port;
}

void HttpListener::serve() {
  {
    std::lock_guard lock(state_mutex_);
    if (stop_requested_) return;
    serving_ = true;
  }
  server_->listen_after_bind();
  listen_returned_ = true;
}

void HttpListener::stop() {
  bool was_serving = false;
  {
    std::lock_guard lock(state_mutex_);
    stop_requested_ = true;
    was_serving = serving_;
  }
  if (!was_serving) return;
  // The library ignores stop() until its accept loop has started; wait for that (it is a matter
  // of microseconds) unless the loop has already ended.
  while (!server_->is_running() && !listen_returned_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  server_->stop();
}

bool HttpListener::is_running() const { return server_->is_running(); }

}  // namespace shrewd::net
