#pragma once

#include <span>
#include <string_view>

namespace shrewd::serve {

// The files of the web page (web/ in the source tree, plus the vendored charting library),
// compiled into the binary by the build (cmake/embed_web_assets.cmake), so the page needs no
// install directory and nothing is fetched at run time.
struct WebAsset {
  std::string_view path;          // URL path, e.g. "/app.js"
  std::string_view content_type;
  std::string_view body;
};

std::span<const WebAsset> web_assets();
const WebAsset* find_web_asset(std::string_view path);

}  // namespace shrewd::serve
