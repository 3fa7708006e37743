#include "shrewd/serve/signal_loop.hpp"

#include <pthread.h>
#include <signal.h>

#include <thread>

namespace shrewd::serve {

namespace {

sigset_t serve_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGHUP);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  return signals;
}

}  // namespace

void block_serve_signals() {
  const sigset_t signals = serve_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

void serve_until_signalled(HttpServer& server, SearchService& service,
                           const std::function<void(const std::string& outcome)>& on_reload) {
  const sigset_t signals = serve_signals();
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &signals, &previous);

  std::thread waiter([&] {
    for (;;) {
      int received = 0;
      if (sigwait(&signals, &received) != 0) continue;
      if (received != SIGHUP) break;
      try {
        const auto answer = service.reload();
        on_reload("reloaded: generation " + answer["generation"].dump() + ", " + answer["items"].dump() + " items");
      } catch (const std::exception& error) {
        on_reload(error.what());
      }
    }
    server.stop();
  });
  server.serve();
  // serve() also ends without a signal (when the listening socket fails); wake the waiter then.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
}

}  // namespace shrewd::serve
