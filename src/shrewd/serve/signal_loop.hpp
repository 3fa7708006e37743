#pragma once

#include <functional>

#include "shrewd/serve/http_server.hpp"

namespace shrewd::serve {

// Blocks SIGHUP, SIGINT and SIGTERM in the calling thread and so in every thread it starts later
// (net::block_stop_signals). Call it before anything starts threads (model loading, thread pools).
void block_serve_signals();

// Serves until SIGINT or SIGTERM, reloading the index on SIGHUP (net::serve_until_signalled: the
// signals are taken on a thread of its own, never in a handler). `on_reload` reports the outcome
// of each SIGHUP (it must not throw).
void serve_until_signalled(HttpServer& server, SearchService& service,
                           const std::function<void(const std::string& outcome)>& on_reload);

}  // namespace shrewd::serve
