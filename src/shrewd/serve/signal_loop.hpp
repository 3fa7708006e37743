#pragma once

#include <functional>

#include "shrewd/serve/http_server.hpp"

namespace shrewd::serve {

// Blocks SIGHUP, SIGINT and SIGTERM in the calling thread and so in every thread it starts later.
// Call it before anything starts threads (model loading, thread pools), so that no thread can take
// these signals with their default action (ending the process) instead of the loop below.
void block_serve_signals();

// Serves until SIGINT or SIGTERM, reloading the index on SIGHUP. Blocks these signals in the
// calling thread before the server's threads start (they inherit the mask) and takes them with
// sigwait on a thread of its own, so no work happens in a signal handler. `on_reload` reports the
// outcome of each SIGHUP (it must not throw).
void serve_until_signalled(HttpServer& server, SearchService& service,
                           const std::function<void(const std::string& outcome)>& on_reload);

}  // namespace shrewd::serve
