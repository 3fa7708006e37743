#include "shrewd/net/http_error.hpp"

#include <new>

#include "shrewd/common/error.hpp"

namespace shrewd::net {

ErrorAnswer error_answer(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const HttpError& e) {
    return {e.status(), e.what()};
  } catch (const Error& e) {
    return {400, e.what()};
  } catch (const std::bad_alloc&) {
    return {503, "out of memory for this request"};
  } catch (const std::exception& e) {
    return {500, std::string("internal error: ") + e.what()};
  } catch (...) {
    return {500, "internal error"};
  }
}

}  // namespace shrewd::net
