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

#include "shrewd/common/error.hpp"
#include "shrewd/net/http_error.hpp"
#include "shrewd/net/stop_signals.hpp"
#include "support/error_of.hpp"
#include "support/serving_thread.hpp"

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
