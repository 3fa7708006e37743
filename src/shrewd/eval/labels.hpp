#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "shrewd/common/npy.hpp"

namespace shrewd::eval {

// The class labels of N items: one class per item (an integer 1-D .npy), or a set of classes per
// item (a multi-hot [N, C] .npy of 0/1 values, any integer or bool dtype).
class Labels {
 public:
  static Labels single(std::vector<std::int64_t> classes, std::string source = "labels");
  static Labels multi(std::size_t count, std::size_t class_count, const std::vector<std::uint8_t>& hot,
                      std::string source = "labels");  // hot: count x class_count, row-major 0/1

  std::size_t size() const { return count_; }
  bool is_multi() const { return multi_; }
  const std::string& source() const { return source_; }

  // Single labels: the class of item i (checked non-negative).
  std::int64_t label(std::size_t i) const { return single_[i]; }
  std::int64_t max_label() const;  // -1 when empty
  // Single labels: fails naming the file and the row of the first label not in 0..classes-1;
  // `against` names what sets the classes ("the class list classes.txt"), `hint` (if any) ends
  // the message.
  void check_classes(std::size_t classes, const std::string& against, const std::string& hint = {}) const;

  // Multi-labels: the classes of item i as a bitset of words() words, and the number of columns.
  const std::uint64_t* label_set(std::size_t i) const { return hot_.data() + i * words_; }
  std::size_t words() const { return words_; }
  std::size_t columns() const { return columns_; }

  // The classes item i belongs to (one for single labels).
  void classes_of(std::size_t i, std::vector<std::size_t>& out) const;
  bool has_class(std::size_t i, std::size_t c) const;

 private:
  std::string source_;
  std::size_t count_ = 0;
  bool multi_ = false;
  std::vector<std::int64_t> single_;
  std::size_t columns_ = 0, words_ = 0;
  std::vector<std::uint64_t> hot_;
};

// Without a class list or a similarity matrix, single labels are class indices below this limit
// (the class similarity and the per-class orders take C x C values); more classes need --classes.
inline constexpr std::size_t kMaxClassesWithoutList = 10000;

Labels labels_from_npy(const NpyArray& array);
Labels load_labels(const std::filesystem::path& path);

}  // namespace shrewd::eval
