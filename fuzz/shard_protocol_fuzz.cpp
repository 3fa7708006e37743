// The shard protocol (src/shrewd/distributed/shard_protocol.*): the decoders of query, k-NN and
// radius bodies. The first byte picks the decoder and small parameters (bits, queries, k); whatever
// decodes is encoded again and must decode to the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "shrewd/common/error.hpp"
#include "shrewd/distributed/shard_protocol.hpp"

namespace protocol = shrewd::distributed;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const unsigned which = data[0] % 3;
  const std::size_t parameter = data[1];
  const std::string_view body(reinterpret_cast<const char*>(data + 2), size - 2);
  try {
    switch (which) {
      case 0: {
        const std::size_t bits = 8 * (parameter % 130);  // 0 and 1040 are invalid on purpose
        const auto codes = protocol::decode_codes(body, bits, "fuzz");
        if (protocol::encode_codes(codes.span()) != body) std::abort();
        break;
      }
      case 1: {
        const std::size_t queries = parameter & 15, k = parameter >> 4;
        const auto result = protocol::decode_knn(body, queries, k, "fuzz");
        (void)protocol::encode_knn(result);
        break;
      }
      default: {
        const auto result = protocol::decode_radius(body, parameter, "fuzz");
        (void)protocol::encode_radius(result);
        break;
      }
    }
  } catch (const shrewd::Error&) {
  }
  return 0;
}
