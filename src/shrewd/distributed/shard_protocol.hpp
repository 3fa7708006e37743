#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "shrewd/codes/code_matrix.hpp"
#include "shrewd/index/search_result.hpp"

namespace shrewd::distributed {

// The shard protocol: HTTP/1.1 (cpp-httplib) with binary bodies, all integers little-endian.
//
//   GET  /info                   -> JSON {"format": "shrewd-shard", "version": 1, "name": file name,
//                                         "bits": K, "codes": live codes, "checksum": "8 hex digits"}
//   POST /knn?bits=K&k=k         body: queries -> knn answer
//   POST /radius?bits=K&radius=r body: queries -> radius answer
//
//   queries:  Q codes, each ceil(K / 64) uint64 words (the CodeSpan layout, zero padding)
//   knn:      u64 Q, u64 k, Q * k int64 ids, Q * k int32 distances (-1 padding)
//   radius:   u64 Q, u64 H, (Q + 1) int64 offsets, H int64 ids, H int32 distances
//   error:    status 400 (bad request) or 500, body text/plain "what went wrong"
//
// Decoding checks every size against the body, so a truncated or garbled answer is an Error
// naming `where` (the shard), never a wrong result.
inline constexpr int kProtocolVersion = 1;

std::string encode_codes(CodeSpan codes);
CodeMatrix decode_codes(std::string_view body, std::size_t bits, const std::string& where);

std::string encode_knn(const KnnResult& result);
KnnResult decode_knn(std::string_view body, std::size_t queries, std::size_t k, const std::string& where);

std::string encode_radius(const RadiusResult& result);
RadiusResult decode_radius(std::string_view body, std::size_t queries, const std::string& where);

}  // namespace shrewd::distributed
