#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shrewd/formats/image_file.hpp"

namespace shrewd::serve {

// Images and their decoder are those of the datasets (formats/image_file.hpp), so an upload is
// decoded exactly as the same file in an image folder.
using formats::decode_image;
using formats::Image;
using formats::ImageLimits;

// The image as a PNG file.
std::string encode_png(const Image& image);

// The image converted to `channels` (1 or 3; grey as formats::grey_level, rounded) and resized to
// width x height (for display; models take their inputs through data::Preprocessing).
Image convert_image(const Image& image, int width, int height, int channels);

}  // namespace shrewd::serve
