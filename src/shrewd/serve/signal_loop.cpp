#include "shrewd/serve/signal_loop.hpp"

#include <fmt/format.h>

#include "shrewd/net/stop_signals.hpp"

namespace shrewd::serve {

void block_serve_signals() { net::block_stop_signals(/*hangup=*/true); }

void serve_until_signalled(HttpServer& server, SearchService& service,
                           const std::function<void(const std::string& outcome)>& on_reload) {
  net::serve_until_signalled(server, [&] {
    try {
      const auto answer = service.reload();
      on_reload(fmt::format("reloaded: generation {}, {} items", answer["generation"].dump(), answer["items"].dump()));
    } catch (const std::exception& error) {
      on_reload(error.what());
    }
  });
}

}  // namespace shrewd::serve
