#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shrewd/serve/image.hpp"

namespace shrewd::serve {

// The pictures of the indexed items (item id = row), for thumbnails: N images of one size.
class ImageSet {
 public:
  ImageSet() = default;
  ImageSet(std::size_t count, int height, int width, int channels, std::vector<std::uint8_t> pixels);

  // uint8 [N, H, W] (grey) or [N, H, W, C] with C = 1, 3 or 4.
  static ImageSet from_npy(const std::filesystem::path& path);

  std::size_t size() const { return count_; }
  int width() const { return width_; }
  int height() const { return height_; }
  int channels() const { return channels_; }
  Image image(std::size_t item) const;

 private:
  std::size_t count_ = 0;
  int height_ = 0, width_ = 0, channels_ = 0;
  std::vector<std::uint8_t> pixels_;
};

// What the service knows about the items and classes besides their codes: labels, class names,
// images, the class similarity s(a, b) of docs/method.md §2 (hierarchy-based, or flat: 1 for the same
// class, 0 otherwise), the hierarchy to show, and an evaluation report. Every part is optional.
struct ItemCatalog {
  std::vector<std::int64_t> labels;            // label of item i; empty when unknown
  std::vector<std::string> class_names;        // label -> name; empty when unknown
  std::optional<ImageSet> images;
  std::vector<std::vector<double>> class_similarity;  // [C][C]; empty: flat labels
  nlohmann::json hierarchy;                    // {"name", "children": [...]} tree; null when none
  std::string hierarchy_source;
  nlohmann::json evaluation;                   // the loaded `shrewd eval --json` report; null when none
  std::string evaluation_source;

  std::optional<std::int64_t> label_of(std::int64_t item) const;
  std::optional<std::string> class_name_of(std::int64_t label) const;
  // s(a, b) in [0, 1]; nullopt when a label is outside the known classes.
  std::optional<double> similarity(std::int64_t label_a, std::int64_t label_b) const;
  std::size_t class_count() const;

  // Fails with an Error naming the file or option unless the parts agree (labels within the
  // classes, a square similarity matrix over them, values in [0, 1]).
  void validate() const;
};

}  // namespace shrewd::serve
