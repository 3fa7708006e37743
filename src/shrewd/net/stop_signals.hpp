#pragma once

#include <functional>

#include "shrewd/net/http_listener.hpp"

namespace shrewd::net {

// Blocks SIGINT and SIGTERM (and SIGHUP with `hangup`) in the calling thread and so in every thread
// it starts later. Call it before anything starts threads (model loading, thread pools), so that
// no thread can take these signals with their default action (ending the process) instead of
// serve_until_signalled.
void block_stop_signals(bool hangup = false);

// Serves until SIGINT or SIGTERM, then stops the listener. With on_hangup, SIGHUP calls it instead
// of ending the process (on_hangup must not throw). Blocks these signals in the calling thread
// before the server's threads start (they inherit the mask) and takes them with sigwait on a
// thread of its own, so no work happens in a signal handler; the mask is restored on return.
void serve_until_signalled(HttpListener& listener, const std::function<void()>& on_hangup = {});

}  // namespace shrewd::net
