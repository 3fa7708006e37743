#include "shrewd/serve/web_assets.hpp"

namespace shrewd::serve {

const WebAsset* find_web_asset(std::string_view path) {
  for (const WebAsset& asset : web_assets())
    if (asset.path == path) return &asset;
  return nullptr;
}

}  // namespace shrewd::serve
