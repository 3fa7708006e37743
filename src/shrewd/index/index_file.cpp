#include "shrewd/index/index_file.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <fmt/format.h>
#include <limits>
#include <numeric>

#include "shrewd/common/atomic_file.hpp"
#include "shrewd/common/bitmap.hpp"
#include "shrewd/common/crc32.hpp"
#include "shrewd/common/error.hpp"
#include "shrewd/index/index_contents.hpp"
#include "shrewd/index/substring_layout.hpp"
#include "shrewd/index/substring_table_file.hpp"

namespace shrewd {

static_assert(std::endian::native == std::endian::little, "the index file format is little-endian");

namespace {

constexpr char kMagic[8] = {'S', 'H', 'R', 'W', 'D', 'I', 'D', 'X'};
constexpr std::size_t kChecksumOffset = 124;
constexpr std::uint64_t kMaxId = std::uint64_t(std::numeric_limits<std::int64_t>::max());

struct Header {
  char magic[8];
  std::uint32_t version;
  std::uint32_t header_bytes;
  std::uint32_t bits;
  std::uint32_t flags;
  std::uint32_t substrings;
  std::uint32_t reserved0;
  std::uint64_t count;
  std::uint64_t deleted;
  std::uint64_t codes_offset;
  std::uint64_t ids_offset;
  std::uint64_t deleted_offset;
  std::uint64_t file_bytes;
  std::uint64_t tables_offset;  // version 2: the multi-index tables section, or 0; version 1: reserved (0)
  std::uint8_t reserved1[36];
  std::uint32_t checksum;
};
static_assert(sizeof(Header) == IndexFile::kHeaderBytes);
static_assert(offsetof(Header, checksum) == kChecksumOffset);


// The byte layout implied by K and N, or false if it does not fit in 64 bits.
struct Layout {
  std::uint64_t codes_offset = IndexFile::kHeaderBytes, ids_offset = 0, deleted_offset = 0, file_bytes = 0;
};
bool layout_for(std::size_t bits, std::uint64_t count, Layout& layout) {
  std::uint64_t code_bytes = 0, id_bytes = 0;
  if (__builtin_mul_overflow(count, std::uint64_t(words_for_bits(bits) * 8), &code_bytes)) return false;
  if (__builtin_mul_overflow(count, std::uint64_t(8), &id_bytes)) return false;
  if (__builtin_add_overflow(layout.codes_offset, code_bytes, &layout.ids_offset)) return false;
  if (__builtin_add_overflow(layout.ids_offset, id_bytes, &layout.deleted_offset)) return false;
  return !__builtin_add_overflow(layout.deleted_offset, std::uint64_t(bitmap_words(count) * 8), &layout.file_bytes);
}

}  // namespace

IndexFile::IndexFile(const std::filesystem::path& path, bool verify_checksum, FileResidence residence)
    : path_(path), image_(path, residence) {
  const std::string where = path.string();
  const std::size_t size = image_.size();
  if (size == 0) fail(where, "empty file, not a shrewd index");
  if (size < sizeof(kMagic) || std::memcmp(image_.data(), kMagic, sizeof(kMagic)) != 0)
    fail(where, "not a shrewd index file (its first bytes are not the magic \"SHRWDIDX\")");
  if (size < kHeaderBytes)
    fail(where, fmt::format("truncated: {} bytes, shorter than the {}-byte header", size, kHeaderBytes));
  Header h;
  std::memcpy(&h, image_.data(), sizeof h);
  if (h.version < kOldestVersion || h.version > kVersion)
    fail(where, fmt::format("index format version {} is not supported (this shrewd reads versions {} to {})",
                            h.version, kOldestVersion, kVersion));
  if (h.version == 1) h.tables_offset = 0;
  if (h.header_bytes != kHeaderBytes) fail(where, fmt::format("corrupt header: header size {}", h.header_bytes));
  check_code_bits(h.bits, where);
  if (h.flags & ~kFlagMultiIndex) fail(where, fmt::format("corrupt header: unknown flags {}", h.flags));
  if (h.substrings != 0 &&
      (h.substrings < SubstringLayout::min_substrings(h.bits) || h.substrings > h.bits))
    fail(where, fmt::format("corrupt header: {} substrings cannot split {}-bit codes (0 = automatic, else {} to {})",
                            h.substrings, h.bits, SubstringLayout::min_substrings(h.bits), h.bits));
  Layout layout;
  if (!layout_for(h.bits, h.count, layout))
    fail(where, fmt::format("corrupt header: impossible code count {}", h.count));
  // A tables section follows the deleted bitmap, whole words, only in a multi-index file without deletions.
  const bool tables = h.tables_offset != 0;
  if (tables && (h.tables_offset != layout.file_bytes || h.file_bytes <= h.tables_offset || h.file_bytes % 8 != 0 ||
                 !(h.flags & kFlagMultiIndex) || h.deleted != 0))
    fail(where, fmt::format("corrupt header: a multi-index tables section at byte {} does not fit the file",
                            h.tables_offset));
  if (tables) layout.file_bytes = h.file_bytes;
  if (h.codes_offset != layout.codes_offset || h.ids_offset != layout.ids_offset ||
      h.deleted_offset != layout.deleted_offset || h.file_bytes != layout.file_bytes)
    fail(where, fmt::format("corrupt header: section offsets do not match {} codes of {} bits", h.count, h.bits));
  if (size < layout.file_bytes)
    fail(where, fmt::format("truncated: {} bytes, the header describes {}", size, layout.file_bytes));
  if (size > layout.file_bytes)
    fail(where, fmt::format("corrupt: {} unexpected bytes after the index", size - layout.file_bytes));
  if (h.deleted > h.count) fail(where, "corrupt header: more deleted codes than codes");

  checksum_ = h.checksum;
  if (verify_checksum) {
    std::uint32_t computed = crc32(0, image_.data(), kChecksumOffset);
    computed = crc32(computed, image_.data() + kHeaderBytes, size - kHeaderBytes);
    if (computed != h.checksum)
      fail(where, fmt::format("checksum mismatch (stored {}, computed {}): the file is corrupt", h.checksum, computed));
  }

  bits_ = h.bits;
  flags_ = h.flags;
  substrings_ = h.substrings;
  count_ = h.count;
  deleted_ = h.deleted;
  const auto* words = reinterpret_cast<const std::uint64_t*>(image_.data());  // 8-byte aligned
  codes_ = CodeSpan{words + layout.codes_offset / 8, count_, bits_};
  ids_ = {words + layout.ids_offset / 8, count_};
  deleted_bitmap_ = {words + layout.deleted_offset / 8, bitmap_words(count_)};
  if (tables) table_section_ = {words + h.tables_offset / 8, (h.file_bytes - h.tables_offset) / 8};

  const std::size_t marked = bitmap_count(deleted_bitmap_);
  if (count_ % 64 && !deleted_bitmap_.empty() && (deleted_bitmap_.back() >> (count_ % 64)))
    fail(where, "corrupt: deleted bitmap has bits set past the last code");
  if (marked != deleted_)
    fail(where, fmt::format("corrupt: header says {} deleted codes, the bitmap marks {}", deleted_, marked));
  if (const std::size_t i = first_code_with_padding(codes_); i < count_)
    fail(where, fmt::format("corrupt: code {} has padding bits set", i));
  for (std::size_t i = 0; i < count_; ++i)
    if (ids_[i] > kMaxId) fail(where, fmt::format("corrupt: id of code {} is not below 2^63", i));
  check_live_ids_unique(where);
}

// Ids are unique among the live codes. Ascending live ids (the usual case: default ids, appends)
// are checked in one pass; ids below 64 N with a bitmap (at most 8 bytes per code, half the file);
// others by sorting the live ids (O(N log N)).
void IndexFile::check_live_ids_unique(const std::string& where) const {
  bool ascending = true;
  bool any = false;
  std::uint64_t last = 0, largest = 0;
  for (std::size_t i = 0; i < count_; ++i) {
    if (is_deleted(i)) continue;
    if (any && ids_[i] <= last) ascending = false;
    last = ids_[i];
    largest = std::max(largest, last);
    any = true;
  }
  if (ascending) return;
  std::uint64_t twin = 0;
  bool found = false;
  if (largest / 64 < count_) {
    std::vector<std::uint64_t> seen(std::size_t(largest / 64 + 1), 0);
    for (std::size_t i = 0; i < count_ && !found; ++i) {
      if (is_deleted(i)) continue;
      std::uint64_t& word = seen[ids_[i] / 64];
      const std::uint64_t bit = std::uint64_t{1} << (ids_[i] % 64);
      if (word & bit) twin = ids_[i], found = true;
      word |= bit;
    }
  } else {
    std::vector<std::uint64_t> sorted;
    sorted.reserve(live());
    for (std::size_t i = 0; i < count_; ++i)
      if (!is_deleted(i)) sorted.push_back(ids_[i]);
    std::sort(sorted.begin(), sorted.end());
    const auto at = std::adjacent_find(sorted.begin(), sorted.end());
    if (at != sorted.end()) twin = *at, found = true;
  }
  if (!found) return;
  std::size_t first = count_, second = count_;
  for (std::size_t i = 0; i < count_ && second == count_; ++i)
    if (!is_deleted(i) && ids_[i] == twin) (first == count_ ? first : second) = i;
  fail(where, fmt::format("corrupt: id {} appears more than once among the live codes (codes {} and {})",
                          twin, first, second));
}

namespace {

// Fails unless every id is below 2^63 and the ids are unique.
void check_ids(std::span<const std::uint64_t> ids, const std::string& where) {
  std::vector<std::uint64_t> sorted(ids.begin(), ids.end());
  for (std::uint64_t id : sorted)
    if (id > kMaxId) fail(where, fmt::format("id {} is not below 2^63", id));
  std::sort(sorted.begin(), sorted.end());
  const auto twin = std::adjacent_find(sorted.begin(), sorted.end());
  if (twin != sorted.end()) fail(where, fmt::format("id {} appears more than once", *twin));
}

}  // namespace

void write_index_file(const std::filesystem::path& path, CodeSpan codes, std::span<const std::uint64_t> ids,
                      const IndexFileOptions& options, std::span<const std::uint64_t> deleted_bitmap) {
  const std::string where = path.string();
  check_code_bits(codes.bits, where);
  if (options.substrings != 0 &&
      (options.substrings < SubstringLayout::min_substrings(codes.bits) || options.substrings > codes.bits))
    fail(where, fmt::format("{} substrings do not fit {}-bit codes (multi-index hashing needs between ceil(K / 64) "
                            "and K)", options.substrings, codes.bits));
  std::vector<std::uint64_t> default_ids;
  if (ids.empty() && codes.count > 0) {
    default_ids.resize(codes.count);
    std::iota(default_ids.begin(), default_ids.end(), std::uint64_t{0});
    ids = default_ids;
  }
  if (ids.size() != codes.count)
    fail(where, fmt::format("{} ids given for {} codes", ids.size(), codes.count));
  std::vector<std::uint64_t> no_deletions;
  if (deleted_bitmap.empty()) {
    no_deletions.assign(bitmap_words(codes.count), 0);
    deleted_bitmap = no_deletions;
  }
  if (deleted_bitmap.size() != bitmap_words(codes.count)) fail(where, "deleted bitmap does not match the code count");
  const std::size_t deleted = bitmap_count(deleted_bitmap);
  {  // ids unique among the codes not deleted
    std::vector<std::uint64_t> live_ids;
    live_ids.reserve(codes.count - deleted);
    for (std::size_t i = 0; i < codes.count; ++i)
      if (!bitmap_test(deleted_bitmap, i)) live_ids.push_back(ids[i]);
    check_ids(live_ids, where);
    for (std::uint64_t id : ids)
      if (id > kMaxId) fail(where, fmt::format("id {} is not below 2^63", id));
  }

  Header h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.version = IndexFile::kVersion;
  h.header_bytes = IndexFile::kHeaderBytes;
  h.bits = std::uint32_t(codes.bits);
  h.flags = options.multi_index ? IndexFile::kFlagMultiIndex : 0;
  h.substrings = std::uint32_t(options.substrings);
  h.count = codes.count;
  h.deleted = deleted;
  Layout layout;
  layout_for(codes.bits, codes.count, layout);
  h.codes_offset = layout.codes_offset;
  h.ids_offset = layout.ids_offset;
  h.deleted_offset = layout.deleted_offset;
  h.file_bytes = layout.file_bytes;

  // A multi-index file without deletions stores its tables, so that opening it builds nothing.
  std::vector<SubstringTable> tables;
  std::vector<std::uint64_t> scratch;
  std::vector<SectionPiece> table_pieces;
  if (options.multi_index && deleted == 0 && codes.count > 0) {
    const auto substring_layout = SubstringLayout::for_codes(codes.bits, codes.count, options.substrings);
    for (std::size_t j = 0; j < substring_layout.count(); ++j) tables.emplace_back(codes, substring_layout, j);
    table_pieces = substring_table_section(tables, scratch);
    h.tables_offset = h.file_bytes;
    for (const auto& piece : table_pieces) h.file_bytes += piece.bytes;
  }

  const std::size_t code_bytes = codes.count * codes.words_per_code() * 8;
  std::uint32_t checksum = crc32(0, &h, kChecksumOffset);
  checksum = crc32(checksum, codes.words, code_bytes);
  checksum = crc32(checksum, ids.data(), ids.size() * 8);
  checksum = crc32(checksum, deleted_bitmap.data(), deleted_bitmap.size() * 8);
  for (const auto& piece : table_pieces) checksum = crc32(checksum, piece.data, piece.bytes);
  h.checksum = checksum;

  AtomicFile file(path);
  file.write(&h, sizeof h);
  file.write(codes.words, code_bytes);
  file.write(ids.data(), ids.size() * 8);
  file.write(deleted_bitmap.data(), deleted_bitmap.size() * 8);
  for (const auto& piece : table_pieces) file.write(piece.data, piece.bytes);
  file.commit();
}

std::vector<std::uint64_t> append_to_index(const std::filesystem::path& path, CodeSpan codes,
                                           std::span<const std::uint64_t> ids) {
  IndexContents contents = IndexContents::read(path);
  std::vector<std::uint64_t> given = contents.append(codes, ids, path.string());
  contents.write(path);
  return given;
}

std::size_t delete_from_index(const std::filesystem::path& path, std::span<const std::uint64_t> ids) {
  IndexContents contents = IndexContents::read(path);
  const std::size_t deleted = contents.remove(ids, path.string());
  contents.write(path);
  return deleted;
}

std::size_t compact_index(const std::filesystem::path& path) {
  IndexContents contents = IndexContents::read(path);
  const std::size_t removed = contents.compact();
  contents.write(path);
  return removed;
}

}  // namespace shrewd
