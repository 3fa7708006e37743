#pragma once

#include <exception>
#include <stdexcept>
#include <string>

namespace shrewd::net {

// A request a server refuses, with the HTTP status to answer (4xx) and a message for the client.
class HttpError : public std::runtime_error {
 public:
  HttpError(int status, const std::string& message) : std::runtime_error(message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

// The answer to a request whose handler threw: an HttpError gives its status and message; a
// shrewd::Error (a mistake in the request, found by a lower layer) 400 and its message;
// std::bad_alloc 503 "out of memory for this request"; anything else 500 "internal error: ...".
struct ErrorAnswer {
  int status = 500;
  std::string message;
};
ErrorAnswer error_answer(std::exception_ptr error);

// Runs handler(); when it throws, calls send_error(status, message) with error_answer(), so no
// failure escapes to the HTTP library. Each server sends the error in its own format.
template <class Handler, class SendError>
void answer(Handler&& handler, SendError&& send_error) {
  try {
    handler();
  } catch (...) {
    const ErrorAnswer error = error_answer(std::current_exception());
    send_error(error.status, error.message);
  }
}

}  // namespace shrewd::net
