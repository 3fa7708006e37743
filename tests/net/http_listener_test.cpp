#include "shrewd/net/http_listener.hpp"

#include <gtest/gtest.h>
#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <new>
#include <thread>
#include <vector>

#include "shrewd/common/error.hpp"
#include "shrewd/net/http_error.hpp"
#include "shrewd/net/stop_signals.hpp"
#include "support/error_of.hpp"
#include "support/serving_thread.hpp"
#include "support/slow_client.hpp"

namespace shrewd::net {
namespace {

// A listener with one route that answers through net::answer: /ok, /refused (an HttpError),
// /mistake (a shrewd::Error) and /broken (any other exception).
class TestServer : public HttpListener {
 public:
  explicit TestServer(ListenOptions options = {}) : HttpListener(std::move(options)) {
    http().Get("/(ok|refused|mistake|broken)", [](const httplib::Request& request, httplib::Response& response) {
      answer(
          [&] {
            const std::string what = request.matches[1];
            if (what == "refused") throw HttpError(404, "no such thing");
            if (what == "mistake") fail("k", "must be positive");
            if (what == "broken") throw std::logic_error("a bug");
            response.set_content("fine", "text/plain");
          },
          [&](int status, const std::string& message) {
            response.status = status;
            response.set_content(message, "text/plain");
          });
    });
  }
};

TEST(HttpListener, ServesUntilStoppedFromAnotherThread) {
  TestServer server;
  testing::ServingThread serving(server);
  EXPECT_GT(serving.port(), 0);
  httplib::Client client("127.0.0.1", serving.port());
  auto ok = client.Get("/ok");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body, "fine");
  serving.stop();
  EXPECT_FALSE(server.is_running());
}

TEST(HttpListener, StopBeforeServeMakesServeReturnAtOnce) {
  TestServer server;
  server.bind();
  server.stop();
  const auto start = std::chrono::steady_clock::now();
  server.serve();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

TEST(HttpListener, StopRightAfterStartingToServeIsNotLost) {
  for (int i = 0; i < 20; ++i) {
    TestServer server;
    server.bind();
    std::thread serving([&] { server.serve(); });
    server.stop();
    serving.join();  // would hang if the library dropped the early stop
  }
}

TEST(HttpListener, AnAddressInUseFailsNamingIt) {
  TestServer first;
  const int port = first.bind();
  TestServer second({"127.0.0.1", port, 1});
  const std::string message = testing::error_of([&] { second.bind(); });
  EXPECT_NE(message.find("127.0.0.1:" + std::to_string(port)), std::string::npos) << message;
  EXPECT_NE(message.find("port in use"), std::string::npos) << message;
  EXPECT_NE(testing::error_of([] { TestServer({"127.0.0.1", 70000, 1}).bind(); }).find("70000 is not a port"),
            std::string::npos);
  EXPECT_THROW(TestServer({"127.0.0.1", 0, 0}), Error);
}

using Clock = std::chrono::steady_clock;

TEST(HttpListener, SlowClientsAreCutAtTheRequestTimeoutAndBlockNobody) {
  // more trickling clients than threads: with a timeout per read only, each would hold its thread
  // for as long as it trickles (6 s here) and the plain request would wait behind them
  constexpr int threads = 2;
  TestServer server({"127.0.0.1", 0, threads, std::chrono::milliseconds(1000)});
  testing::ServingThread serving(server);
  std::vector<Clock::duration> kept(threads + 2);
  std::vector<std::thread> slow;
  for (auto& k : kept)
    slow.emplace_back([&k, port = serving.port()] {
      k = testing::trickle_headers(port, std::chrono::milliseconds(200), std::chrono::seconds(6), "GET /ok HTTP/1.1");
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  httplib::Client client("127.0.0.1", serving.port());
  client.set_read_timeout(20, 0);
  const auto start = Clock::now();
  auto ok = client.Get("/ok");
  const auto waited = Clock::now() - start;
  for (auto& t : slow) t.join();
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  // bound: one request timeout for a thread to come free, and the slow clients' own start-up
  EXPECT_LT(waited, std::chrono::milliseconds(3000));
  for (const auto k : kept) {
    EXPECT_GT(k, std::chrono::milliseconds(500));   // a slow client may take its time ...
    EXPECT_LT(k, std::chrono::milliseconds(3500));  // ... but not more than the request timeout
  }
}

TEST(HttpListener, ARequestTimeoutBelowOneMillisecondIsRefused) {
  EXPECT_NE(testing::error_of([] { TestServer({"127.0.0.1", 0, 1, std::chrono::milliseconds(0)}); })
                .find("--request-timeout"),
            std::string::npos);
}

TEST(HttpError, FailuresAnswerWithTheirStatus) {
  const auto status_of = [](auto thrower) {
    try {
      thrower();
    } catch (...) {
      return error_answer(std::current_exception());
    }
    return ErrorAnswer{};
  };
  const ErrorAnswer refused = status_of([] { throw HttpError(413, "too large"); });
  EXPECT_EQ(refused.status, 413);
  EXPECT_EQ(refused.message, "too large");
  const ErrorAnswer mistake = status_of([] { fail("--k", "must be positive"); });
  EXPECT_EQ(mistake.status, 400);
  EXPECT_EQ(mistake.message, "--k: must be positive");
  EXPECT_EQ(status_of([] { throw std::bad_alloc(); }).status, 503);
  const ErrorAnswer bug = status_of([] { throw std::logic_error("a bug"); });
  EXPECT_EQ(bug.status, 500);
  EXPECT_EQ(bug.message, "internal error: a bug");
  EXPECT_EQ(status_of([] { throw 42; }).status, 500);
}

TEST(HttpError, RoutesAnswerFailuresInsteadOfThrowing) {
  TestServer server;
  testing::ServingThread serving(server);
  httplib::Client client("127.0.0.1", serving.port());
  auto refused = client.Get("/refused");
  auto mistake = client.Get("/mistake");
  auto broken = client.Get("/broken");
  serving.stop();
  ASSERT_TRUE(refused && mistake && broken);
  EXPECT_EQ(refused->status, 404);
  EXPECT_EQ(refused->body, "no such thing");
  EXPECT_EQ(mistake->status, 400);
  EXPECT_EQ(mistake->body, "k: must be positive");
  EXPECT_EQ(broken->status, 500);
}

TEST(StopSignals, HangupCallsBackAndTermStops) {
  sigset_t previous;
  pthread_sigmask(SIG_SETMASK, nullptr, &previous);
  block_stop_signals(/*hangup=*/true);  // every thread started from here on keeps them blocked
  TestServer server;
  server.bind();
  std::atomic<int> hangups{0};
  std::thread serving([&] { serve_until_signalled(server, [&] { ++hangups; }); });
  while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  kill(getpid(), SIGHUP);
  for (int i = 0; i < 2000 && hangups == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(hangups, 1);
  EXPECT_TRUE(server.is_running());
  kill(getpid(), SIGTERM);
  serving.join();  // serve_until_signalled returned: the server stopped
  EXPECT_FALSE(server.is_running());
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
}

}  // namespace
}  // namespace shrewd::net
