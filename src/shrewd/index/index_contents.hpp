#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "shrewd/codes/code_matrix.hpp"
#include "shrewd/index/binary_index.hpp"
#include "shrewd/index/index_file.hpp"

namespace shrewd {

// An index file's contents held in memory (.shx, index_file.hpp): the codes, their ids, the deleted
// bitmap and how to search it. append_to_index, delete_from_index and compact_index are these
// changes between reading and writing the file, and the Python package's Index holds one, so both
// follow the same rules. `where` names the file or argument in errors.
class IndexContents {
 public:
  IndexContents(std::size_t bits, const IndexFileOptions& options);
  static IndexContents read(const std::filesystem::path& path);
  void write(const std::filesystem::path& path) const;

  std::size_t bits() const { return codes_.bits(); }
  std::size_t stored() const { return codes_.size(); }
  std::size_t deleted() const { return deleted_count_; }
  std::size_t live() const { return stored() - deleted_count_; }
  const IndexFileOptions& options() const { return options_; }

  // Appends codes of this index's K; ids empty = consecutive after the largest id stored (deleted
  // ones included). Ids must be below 2^63 and unique among the live codes. Returns the ids given.
  std::vector<std::uint64_t> append(CodeSpan codes, std::span<const std::uint64_t> ids, const std::string& where);
  // Marks the live codes with these ids deleted; changes nothing and fails if one is not live.
  std::size_t remove(std::span<const std::uint64_t> ids, const std::string& where);
  // Drops the deleted codes; returns how many.
  std::size_t compact();

  // The live ids, in stored order.
  std::vector<std::uint64_t> live_ids() const;

  // The searcher the file would be opened with (open_index): a flat scan over these codes, or
  // multi-index hashing over the live codes. It views this object: rebuild it after a change.
  std::unique_ptr<BinaryIndex> searcher() const;

 private:
  CodeMatrix codes_;
  std::vector<std::uint64_t> ids_;
  std::vector<std::uint64_t> deleted_bitmap_;
  std::size_t deleted_count_ = 0;
  IndexFileOptions options_;
};

}  // namespace shrewd
