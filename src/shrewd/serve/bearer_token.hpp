#pragma once

// The bearer token of `serve` is the one of every shrewd server: net/bearer_token.hpp.
#include "shrewd/net/bearer_token.hpp"

namespace shrewd::serve {

using net::bearer_token_matches;
using net::constant_time_equal;
using net::read_token_file;

}  // namespace shrewd::serve
