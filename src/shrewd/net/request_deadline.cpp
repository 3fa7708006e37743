#include "shrewd/net/request_deadline.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

namespace shrewd::net {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

milliseconds timeout_of(time_t sec, time_t usec) { return milliseconds(sec * 1000 + usec / 1000); }

// Waits until `sock` has `events`, for at most `wait`; false on a timeout or an error.
bool wait_for(socket_t sock, short events, milliseconds wait) {
  pollfd p{sock, events, 0};
  const int ms = int(std::clamp<milliseconds::rep>(wait.count(), 0, 24 * 3600 * 1000));
  int ready = 0;
  do {
    ready = ::poll(&p, 1, ms);
  } while (ready < 0 && errno == EINTR);
  return ready > 0;
}

void address_of(const sockaddr_storage& address, socklen_t length, std::string& ip, int& port) {
  std::array<char, NI_MAXHOST> host{};
  std::array<char, NI_MAXSERV> service{};
  if (getnameinfo(reinterpret_cast<const sockaddr*>(&address), length, host.data(), host.size(), service.data(),
                  service.size(), NI_NUMERICHOST | NI_NUMERICSERV) != 0)
    return;
  ip = host.data();
  port = std::atoi(service.data());
}

// A connected socket whose reads and writes end at the current request's deadline. Reads are
// buffered: the library reads request lines one byte at a time.
class DeadlineStream final : public httplib::Stream {
 public:
  DeadlineStream(socket_t sock, milliseconds read_timeout, milliseconds write_timeout)
      : sock_(sock), read_timeout_(read_timeout), write_timeout_(write_timeout) {}

  void set_deadline(Clock::time_point deadline) { deadline_ = deadline; }
  bool has_buffered_bytes() const { return begin_ < end_; }

  bool is_readable() const override { return has_buffered_bytes() || wait(POLLIN, read_timeout_); }
  bool is_writable() const override { return wait(POLLOUT, write_timeout_); }

  ssize_t read(char* ptr, size_t size) override {
    if (!has_buffered_bytes()) {
      if (!wait(POLLIN, read_timeout_)) return -1;
      ssize_t n = 0;
      do {
        n = ::recv(sock_, buffer_.data(), buffer_.size(), 0);
      } while (n < 0 && errno == EINTR);
      if (n <= 0) return n;
      begin_ = 0;
      end_ = std::size_t(n);
    }
    const std::size_t count = std::min(size, end_ - begin_);
    std::memcpy(ptr, buffer_.data() + begin_, count);
    begin_ += count;
    return ssize_t(count);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!wait(POLLOUT, write_timeout_)) return -1;
    ssize_t n = 0;
    do {
      n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (getpeername(sock_, reinterpret_cast<sockaddr*>(&address), &length) == 0) address_of(address, length, ip, port);
  }

  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (getsockname(sock_, reinterpret_cast<sockaddr*>(&address), &length) == 0) address_of(address, length, ip, port);
  }

  socket_t socket() const override { return sock_; }

 private:
  // Waits for `events` at most `limit`, and never past the deadline.
  bool wait(short events, milliseconds limit) const {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline_ - Clock::now());
    if (left.count() <= 0) return false;
    return wait_for(sock_, events, std::min(limit, left));
  }

  socket_t sock_;
  milliseconds read_timeout_;
  milliseconds write_timeout_;
  Clock::time_point deadline_ = Clock::now();
  std::array<char, 4096> buffer_{};
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
};

}  // namespace

bool RequestDeadlineServer::process_and_close_socket(socket_t sock) {
  DeadlineStream stream(sock, timeout_of(read_timeout_sec_, read_timeout_usec_),
                        timeout_of(write_timeout_sec_, write_timeout_usec_));
  const milliseconds keep_alive = timeout_of(keep_alive_timeout_sec_, 0);
  // Short waits, so that stop() (which closes the listening socket) ends idle connections soon.
  const milliseconds slice(50);
  const auto next_request_arrives = [&] {
    if (stream.has_buffered_bytes()) return true;
    const auto give_up = Clock::now() + keep_alive;
    while (svr_sock_ != INVALID_SOCKET) {
      const auto left = std::chrono::duration_cast<milliseconds>(give_up - Clock::now());
      if (left.count() <= 0) return false;
      if (wait_for(sock, POLLIN, std::min(slice, left))) return true;
    }
    return false;
  };
  bool ok = false;
  for (std::size_t left = std::max<std::size_t>(keep_alive_max_count_, 1); left > 0 && next_request_arrives(); --left) {
    stream.set_deadline(Clock::now() + request_timeout_);
    bool connection_closed = false;
    ok = process_request(stream, /*close_connection=*/left == 1, connection_closed, nullptr);
    if (!ok || connection_closed) break;
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ok;
}

}  // namespace shrewd::net
