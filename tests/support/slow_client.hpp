#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace shrewd::testing {

// A client that sends the header lines of `request_line`'s request one every `pause`, as a slow
// or hostile client does, until the server closes the connection or `give_up` has passed. Returns
// how long the server kept the connection open.
inline std::chrono::steady_clock::duration trickle_headers(int port, std::chrono::milliseconds pause,
                                                           std::chrono::seconds give_up,
                                                           std::string request_line = "GET / HTTP/1.1") {
  using Clock = std::chrono::steady_clock;
  const int sock = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(std::uint16_t(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const auto start = Clock::now();
  if (::connect(sock, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(sock);
    return Clock::duration::zero();
  }
  std::string line = request_line + "\r\n";
  for (int i = 0; Clock::now() - start < give_up; ++i) {
    if (::send(sock, line.data(), line.size(), MSG_NOSIGNAL) < 0) break;
    pollfd p{sock, POLLIN, 0};
    char byte = 0;
    // readable: an answer (the server refusing) or the end of the connection
    if (::poll(&p, 1, int(pause.count())) > 0 && ::recv(sock, &byte, 1, MSG_PEEK) <= 0) break;
    line = "X-Slow-" + std::to_string(i) + ": 1\r\n";
  }
  const auto kept = Clock::now() - start;
  ::close(sock);
  return kept;
}

}  // namespace shrewd::testing
