#include "shrewd/distributed/shard_protocol.hpp"

#include <bit>
#include <cstring>
#include <fmt/format.h>
#include <vector>

#include "shrewd/common/error.hpp"

namespace shrewd::distributed {

static_assert(std::endian::native == std::endian::little, "the shard protocol is little-endian");

namespace {

template <class T>
void put(std::string& out, const T* values, std::size_t n) {
  out.append(reinterpret_cast<const char*>(values), n * sizeof(T));
}

// Reads fixed-size fields from a body, failing (naming the shard) when it runs out.
class Reader {
 public:
  Reader(std::string_view body, const std::string& where) : body_(body), where_(where) {}

  template <class T>
  void take(T* values, std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    if (n != 0 && bytes / n != sizeof(T)) fail(where_, "answer sizes overflow");
    if (body_.size() - at_ < bytes)
      fail(where_, fmt::format("answer is truncated ({} bytes)", body_.size()));
    if (bytes) std::memcpy(values, body_.data() + at_, bytes);
    at_ += bytes;
  }
  std::uint64_t u64() {
    std::uint64_t value = 0;
    take(&value, 1);
    return value;
  }
  void finish() const {
    if (at_ != body_.size())
      fail(where_, fmt::format("answer has {} bytes more than its header announces", body_.size() - at_));
  }

 private:
  std::string_view body_;
  const std::string& where_;
  std::size_t at_ = 0;
};

}  // namespace

std::string encode_codes(CodeSpan codes) {
  std::string out;
  put(out, codes.words, codes.count * codes.words_per_code());
  return out;
}

CodeMatrix decode_codes(std::string_view body, std::size_t bits, const std::string& where) {
  check_code_bits(bits, where);
  const std::size_t code_bytes = words_for_bits(bits) * 8;
  if (body.size() % code_bytes != 0)
    fail(where, fmt::format("{} bytes are not a whole number of {}-bit codes ({} bytes each)",
                            body.size(), bits, code_bytes));
  CodeMatrix codes(bits, body.size() / code_bytes);
  if (!body.empty()) std::memcpy(codes.code(0), body.data(), body.size());
  if (const std::size_t i = first_code_with_padding(codes); i < codes.size())
    fail(where, fmt::format("code {} has nonzero padding bits", i));
  return codes;
}

std::string encode_knn(const KnnResult& result) {
  std::string out;
  const std::uint64_t header[2] = {result.queries, result.k};
  put(out, header, 2);
  put(out, result.ids.data(), result.ids.size());
  put(out, result.distances.data(), result.distances.size());
  return out;
}

KnnResult decode_knn(std::string_view body, std::size_t queries, std::size_t k, const std::string& where) {
  Reader in(body, where);
  KnnResult result;
  result.queries = in.u64();
  result.k = in.u64();
  if (result.queries != queries || result.k != k)
    fail(where, fmt::format("answered {} queries of k = {} for {} queries of k = {}",
                            result.queries, result.k, queries, k));
  if (k != 0 && queries > body.size() / k)  // checked before queries * k is formed: it may wrap
    fail(where, fmt::format("answer is truncated ({} bytes for {} queries of k = {})", body.size(), queries, k));
  result.ids.resize(queries * k);
  result.distances.resize(queries * k);
  in.take(result.ids.data(), result.ids.size());
  in.take(result.distances.data(), result.distances.size());
  in.finish();
  return result;
}

std::string encode_radius(const RadiusResult& result) {
  std::string out;
  const std::uint64_t header[2] = {result.offsets.empty() ? 0 : result.offsets.size() - 1, result.ids.size()};
  put(out, header, 2);
  put(out, result.offsets.data(), result.offsets.size());
  put(out, result.ids.data(), result.ids.size());
  put(out, result.distances.data(), result.distances.size());
  return out;
}

RadiusResult decode_radius(std::string_view body, std::size_t queries, const std::string& where) {
  Reader in(body, where);
  const std::uint64_t answered = in.u64(), hits = in.u64();
  if (answered != queries)
    fail(where, fmt::format("answered {} queries for {}", answered, queries));
  if (hits > body.size()) fail(where, fmt::format("answer announces {} hits in a shorter body", hits));
  RadiusResult result;
  result.offsets.resize(queries + 1);
  result.ids.resize(hits);
  result.distances.resize(hits);
  in.take(result.offsets.data(), result.offsets.size());
  in.take(result.ids.data(), result.ids.size());
  in.take(result.distances.data(), result.distances.size());
  in.finish();
  if (result.offsets.front() != 0 || std::uint64_t(result.offsets.back()) != hits)
    fail(where, fmt::format("answer offsets do not match its {} hits", hits));
  return result;
}

}  // namespace shrewd::distributed
