#include "shrewd/net/stop_signals.hpp"

#include <pthread.h>
#include <signal.h>

#include <thread>

namespace shrewd::net {
namespace {

sigset_t stop_signals(bool hangup) {
  sigset_t signals;
  sigemptyset(&signals);
  if (hangup) sigaddset(&signals, SIGHUP);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  return signals;
}

}  // namespace

void block_stop_signals(bool hangup) {
  const sigset_t signals = stop_signals(hangup);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

void serve_until_signalled(HttpListener& listener, const std::function<void()>& on_hangup) {
  const sigset_t signals = stop_signals(bool(on_hangup));
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &signals, &previous);

  std::thread waiter([&] {
    for (;;) {
      int received = 0;
      if (sigwait(&signals, &received) != 0) continue;
      if (received != SIGHUP) break;
      on_hangup();
    }
    listener.stop();
  });
  listener.serve();
  // serve() also ends without a signal (when the listening socket fails); wake the waiter then.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
}

}  // namespace shrewd::net
