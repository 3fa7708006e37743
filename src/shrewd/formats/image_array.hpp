#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace shrewd::formats {

// Images as they are stored: unsigned bytes [count, channels, height, width], row-major.
struct ImageArray {
  std::vector<std::uint8_t> pixels;
  std::int64_t count = 0, channels = 0, height = 0, width = 0;
};

// A labelled image dataset read from files: labels[i] belongs to image i.
struct LabelledImages {
  ImageArray images;
  std::vector<std::int64_t> labels;
  std::vector<std::string> class_names;  // label index -> name, when known
  std::string source;                    // where it came from, for messages
};

}  // namespace shrewd::formats
