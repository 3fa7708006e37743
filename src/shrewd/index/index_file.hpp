#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "shrewd/codes/code_matrix.hpp"
#include "shrewd/common/bitmap.hpp"
#include "shrewd/index/file_image.hpp"

namespace shrewd {

// The index file (.shx), version 2 (version 1 files, which have no tables section, still open).
// All integers little-endian; every section 8-byte aligned.
//
//   offset  bytes  field
//        0      8  magic "SHRWDIDX"
//        8      4  version (2)
//       12      4  header bytes (128)
//       16      4  K, bits per code (multiple of 8, 8..1024)
//       20      4  flags: bit 0 = search with multi-index hashing; other bits 0
//       24      4  substrings for multi-index hashing (0 = automatic, else ceil(K / 64) to K)
//       28      4  reserved (0)
//       32      8  N, codes stored (deleted ones included)
//       40      8  deleted codes
//       48      8  offset of the codes       (128)
//       56      8  offset of the ids         (codes offset + N * W * 8)
//       64      8  offset of the deleted bitmap (ids offset + N * 8)
//       72      8  file bytes                (tables offset + tables bytes, or bitmap offset + ceil(N / 64) * 8)
//       80      8  offset of the multi-index tables (bitmap offset + ceil(N / 64) * 8), or 0 for none
//       88     36  reserved (0)
//      124      4  checksum: CRC-32 (zlib crc32, the polynomial of gzip and PNG) of bytes [0, 124)
//                  followed by bytes [128, end): everything but the checksum itself
//      128         codes: N rows of W = ceil(K / 64) uint64 words, numpy packbits byte order, zero padding
//                  ids: N uint64 user ids, below 2^63, unique among the codes not deleted
//                  deleted bitmap: ceil(N / 64) uint64 words; bit i % 64 of word i / 64 set = code i deleted
//                  multi-index tables: only with flag bit 0 and no deleted codes (substring_table_file.hpp)
//
// Codes and tables are stored exactly as the searchers hold them, so a file is searched in place,
// mapped or copied into memory (file_image.hpp).
class IndexFile {
 public:
  static constexpr std::uint32_t kVersion = 2;
  static constexpr std::uint32_t kOldestVersion = 1;  // still opened
  static constexpr std::size_t kHeaderBytes = 128;
  static constexpr std::uint32_t kFlagMultiIndex = 1;

  // Maps the file read-only (or reads it into memory: `residence`) and checks everything a reader relies on (magic, version, sizes,
  // offsets, the substring count, zero padding, the deleted count, ids below 2^63 and unique among
  // the live codes and, unless verify_checksum is false, the checksum); any problem is an Error
  // naming the file.
  explicit IndexFile(const std::filesystem::path& path, bool verify_checksum = true,
                     FileResidence residence = FileResidence::mapped);

  const std::filesystem::path& path() const { return path_; }
  std::size_t bits() const { return bits_; }
  std::size_t count() const { return count_; }      // stored codes, deleted included
  std::size_t deleted() const { return deleted_; }  // codes marked deleted
  std::size_t live() const { return count_ - deleted_; }
  bool multi_index() const { return flags_ & kFlagMultiIndex; }
  // The stored multi-index tables (index/substring_table_file.hpp), or empty.
  std::span<const std::uint64_t> table_section() const { return table_section_; }
  std::size_t substrings() const { return substrings_; }
  std::uint32_t checksum() const { return checksum_; }
  std::size_t file_bytes() const { return image_.size(); }

  CodeSpan codes() const { return codes_; }
  std::span<const std::uint64_t> ids() const { return ids_; }
  std::span<const std::uint64_t> deleted_bitmap() const { return deleted_bitmap_; }
  bool is_deleted(std::size_t i) const { return bitmap_test(deleted_bitmap_, i); }

 private:
  void check_live_ids_unique(const std::string& where) const;

  std::filesystem::path path_;
  FileImage image_;
  std::size_t bits_ = 0;
  std::uint32_t flags_ = 0;
  std::size_t substrings_ = 0;
  std::size_t count_ = 0;
  std::size_t deleted_ = 0;
  std::uint32_t checksum_ = 0;
  CodeSpan codes_;
  std::span<const std::uint64_t> ids_;
  std::span<const std::uint64_t> deleted_bitmap_;
  std::span<const std::uint64_t> table_section_;
};

struct IndexFileOptions {
  bool multi_index = false;    // search it with multi-index hashing (where that is faster)
  std::size_t substrings = 0;  // 0 = automatic
};

// Writes a new index file atomically (temporary file + fsync + rename). ids: one per code, below
// 2^63, unique; empty = 0..N-1. deleted_bitmap: empty = nothing deleted.
void write_index_file(const std::filesystem::path& path, CodeSpan codes, std::span<const std::uint64_t> ids,
                      const IndexFileOptions& options = {}, std::span<const std::uint64_t> deleted_bitmap = {});

// Appends codes (same K) to an index file, atomically. ids: one per new code, unique among the
// codes not deleted; empty = consecutive ids after the largest id ever stored. Returns the ids given.
std::vector<std::uint64_t> append_to_index(const std::filesystem::path& path, CodeSpan codes,
                                           std::span<const std::uint64_t> ids = {});

// Marks the codes with these ids deleted (they stay in the file until compaction), atomically.
// Fails, changing nothing, if an id is not among the codes not deleted. Returns how many were deleted.
std::size_t delete_from_index(const std::filesystem::path& path, std::span<const std::uint64_t> ids);

// Rewrites the file without its deleted codes, atomically. Returns how many codes were removed.
std::size_t compact_index(const std::filesystem::path& path);

}  // namespace shrewd
