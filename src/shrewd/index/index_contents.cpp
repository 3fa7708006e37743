#include "shrewd/index/index_contents.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

#include <fmt/format.h>

#include "shrewd/common/bitmap.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/index/flat_index.hpp"
#include "shrewd/index/multi_index.hpp"
#include "shrewd/index/substring_layout.hpp"

namespace shrewd {

namespace {

constexpr std::uint64_t kMaxId = std::uint64_t(std::numeric_limits<std::int64_t>::max());

std::size_t checked_bits(std::size_t bits) {
  check_code_bits(bits, "bits");
  return bits;
}

}  // namespace

IndexContents::IndexContents(std::size_t bits, const IndexFileOptions& options)
    : codes_(checked_bits(bits)), options_(options) {
  if (options.substrings != 0 && (options.substrings < SubstringLayout::min_substrings(bits) || options.substrings > bits))
    fail("substrings", fmt::format("{} substrings do not fit {}-bit codes (multi-index hashing needs between "
                                   "ceil(K / 64) and K)",
                                   options.substrings, bits));
}

IndexContents IndexContents::read(const std::filesystem::path& path) {
  const IndexFile file(path);
  IndexContents contents(file.bits(), {file.multi_index(), file.substrings()});
  contents.codes_.append(file.codes());
  contents.ids_.assign(file.ids().begin(), file.ids().end());
  contents.deleted_bitmap_.assign(file.deleted_bitmap().begin(), file.deleted_bitmap().end());
  contents.deleted_count_ = file.deleted();
  return contents;
}

void IndexContents::write(const std::filesystem::path& path) const {
  write_index_file(path, codes_, ids_, options_, deleted_bitmap_);
}

std::vector<std::uint64_t> IndexContents::append(CodeSpan codes, std::span<const std::uint64_t> ids,
                                                 const std::string& where) {
  if (codes.bits != bits())
    fail(where, fmt::format("cannot append {}-bit codes to an index of {}-bit codes", codes.bits, bits()));
  std::vector<std::uint64_t> new_ids(ids.begin(), ids.end());
  if (new_ids.empty() && codes.count > 0) {
    std::uint64_t next = 0;
    for (std::uint64_t id : ids_) next = std::max(next, id + 1);
    if (next > kMaxId - codes.count) fail(where, "no ids left below 2^63 to number the appended codes");
    new_ids.resize(codes.count);
    std::iota(new_ids.begin(), new_ids.end(), next);
  }
  if (new_ids.size() != codes.count)
    fail(where, fmt::format("{} ids given for {} appended codes", new_ids.size(), codes.count));

  std::vector<std::uint64_t> sorted = new_ids;
  std::sort(sorted.begin(), sorted.end());
  if (!sorted.empty() && sorted.back() > kMaxId) fail(where, fmt::format("id {} is not below 2^63", sorted.back()));
  if (const auto twin = std::adjacent_find(sorted.begin(), sorted.end()); twin != sorted.end())
    fail(where, fmt::format("id {} appears more than once", *twin));
  for (std::size_t i = 0; i < stored(); ++i)
    if (!bitmap_test(deleted_bitmap_, i) && std::binary_search(sorted.begin(), sorted.end(), ids_[i]))
      fail(where, fmt::format("id {} appears more than once (it is in the index already)", ids_[i]));

  codes_.append(codes);
  ids_.insert(ids_.end(), new_ids.begin(), new_ids.end());
  deleted_bitmap_.resize(bitmap_words(stored()), 0);
  return new_ids;
}

std::size_t IndexContents::remove(std::span<const std::uint64_t> ids, const std::string& where) {
  std::vector<std::uint64_t> wanted(ids.begin(), ids.end());
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  std::vector<bool> found(wanted.size(), false);
  std::vector<std::uint64_t> bitmap = deleted_bitmap_;
  for (std::size_t i = 0; i < stored(); ++i) {
    if (bitmap_test(deleted_bitmap_, i)) continue;
    const auto at = std::lower_bound(wanted.begin(), wanted.end(), ids_[i]);
    if (at == wanted.end() || *at != ids_[i]) continue;
    found[std::size_t(at - wanted.begin())] = true;
    bitmap_set(bitmap, i);
  }
  for (std::size_t j = 0; j < wanted.size(); ++j)
    if (!found[j]) fail(where, fmt::format("cannot delete id {}: no such code in the index", wanted[j]));
  deleted_bitmap_ = std::move(bitmap);
  deleted_count_ += wanted.size();
  return wanted.size();
}

std::size_t IndexContents::compact() {
  CodeMatrix live_codes(bits());
  live_codes.reserve(live());
  std::vector<std::uint64_t> kept_ids;
  kept_ids.reserve(live());
  for (std::size_t i = 0; i < stored(); ++i) {
    if (bitmap_test(deleted_bitmap_, i)) continue;
    live_codes.append(codes_.span().rows(i, 1));
    kept_ids.push_back(ids_[i]);
  }
  const std::size_t removed = deleted_count_;
  codes_ = std::move(live_codes);
  ids_ = std::move(kept_ids);
  deleted_bitmap_.assign(bitmap_words(stored()), 0);
  deleted_count_ = 0;
  return removed;
}

std::vector<std::uint64_t> IndexContents::live_ids() const {
  std::vector<std::uint64_t> live;
  live.reserve(this->live());
  for (std::size_t i = 0; i < stored(); ++i)
    if (!bitmap_test(deleted_bitmap_, i)) live.push_back(ids_[i]);
  return live;
}

std::unique_ptr<BinaryIndex> IndexContents::searcher() const {
  if (!options_.multi_index || live() == 0)
    return std::make_unique<FlatIndex>(codes_.span(), ids_, deleted_bitmap_);
  if (deleted_count_ == 0) return MultiIndexHashing::borrowing(codes_.span(), ids_, options_.substrings);
  CodeMatrix live_codes(bits());
  live_codes.reserve(live());
  for (std::size_t i = 0; i < stored(); ++i)
    if (!bitmap_test(deleted_bitmap_, i)) live_codes.append(codes_.span().rows(i, 1));
  return std::make_unique<MultiIndexHashing>(live_codes.span(), live_ids(), options_.substrings);
}

}  // namespace shrewd
