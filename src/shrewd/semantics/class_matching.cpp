#include "shrewd/semantics/class_matching.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <map>
#include <optional>
#include <set>

#include "shrewd/common/error.hpp"
#include "shrewd/common/printable.hpp"
#include "shrewd/semantics/edit_distance.hpp"
#include "shrewd/semantics/text_file.hpp"
#include "shrewd/semantics/wordnet.hpp"

namespace shrewd::semantics {
namespace {

constexpr std::int64_t kDropped = -1;

// Display names compare without case, with '_' and ' ' the same.
std::string display_key(std::string_view name) {
  std::string key(trim(name));
  for (char& ch : key) ch = ch == '_' ? ' ' : char(std::tolower(static_cast<unsigned char>(ch)));
  return key;
}

// Node names compare as written, except that a WordNet id is written n + 8 digits and a class's
// own leaf (n01234567.self, docs/semantics.md) stands for its synset.
std::string node_key(std::string_view name) {
  name = trim(name);
  constexpr std::string_view self = ".self";
  if (name.size() > self.size() && name.substr(name.size() - self.size()) == self) name.remove_suffix(self.size());
  std::uint32_t offset = 0;
  return WordNet::parse_id(name, offset) ? WordNet::id(offset) : std::string(name);
}

// lemma.n.NN
bool is_sense_name(std::string_view name) {
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot < 3 || dot + 1 == name.size()) return false;
  const auto digits = name.substr(dot + 1);
  return name.substr(dot - 2, 2) == ".n" &&
         std::all_of(digits.begin(), digits.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

std::string class_text(const ClassList& classes, std::size_t c) {
  const ClassEntry& entry = classes.classes[c];
  std::string text = fmt::format("class {} (", c);
  if (!entry.display_name.empty()) text += printable_name(entry.display_name) + ", ";
  return fmt::format("{}node {})", text, printable_name(entry.node));
}

// The classes of a classes file, found by node or display name; sense names are resolved with
// WordNet, read on first need.
class ClassIndex {
 public:
  ClassIndex(const ClassList& classes, const std::filesystem::path& wordnet) : classes_(classes), wordnet_dir_(wordnet) {
    for (std::size_t c = 0; c < classes.size(); ++c) {
      by_node_.emplace(node_key(classes.classes[c].node), c);
      if (!classes.classes[c].display_name.empty()) by_display_[display_key(classes.classes[c].display_name)].push_back(c);
      if (is_sense_name(classes.classes[c].node)) has_sense_nodes_ = true;
    }
  }

  // The classes `name` matches: one by node, else those whose display name it is.
  std::vector<std::size_t> find(const std::string& name) {
    const std::string key = node_key(name);
    if (const auto it = by_node_.find(key); it != by_node_.end()) return {it->second};
    std::uint32_t offset = 0;
    std::optional<std::string> id;
    if (WordNet::parse_id(key, offset)) id = key;
    else if (is_sense_name(name)) id = synset_id(name);
    if (id) {
      if (has_sense_nodes_) index_sense_nodes();
      if (const auto it = by_node_.find(*id); it != by_node_.end()) return {it->second};
    }
    const auto it = by_display_.find(display_key(name));
    return it == by_display_.end() ? std::vector<std::size_t>{} : it->second;
  }

  // Node and display names, for suggestions.
  std::vector<std::string_view> names() const {
    std::vector<std::string_view> all;
    for (const auto& entry : classes_.classes) {
      all.push_back(entry.node);
      if (!entry.display_name.empty()) all.push_back(entry.display_name);
    }
    return all;
  }

 private:
  // A classes file whose nodes are sense names (dog.n.01): its classes are found by id too.
  void index_sense_nodes() {
    if (sense_nodes_indexed_) return;
    sense_nodes_indexed_ = true;
    for (std::size_t c = 0; c < classes_.size(); ++c)
      if (is_sense_name(classes_.classes[c].node))
        if (auto id = synset_id(classes_.classes[c].node)) by_node_.emplace(*id, c);
  }

  std::optional<std::string> synset_id(const std::string& name) {
    if (!wordnet_) wordnet_ = WordNet::load(wordnet_dir_);
    try {
      return WordNet::id(wordnet_->resolve(name).offset);
    } catch (const Error&) {
      return std::nullopt;  // not a synset: it may still be a display name
    }
  }

  const ClassList& classes_;
  std::filesystem::path wordnet_dir_;
  std::map<std::string, std::size_t> by_node_;
  std::map<std::string, std::vector<std::size_t>> by_display_;
  bool has_sense_nodes_ = false, sense_nodes_indexed_ = false;
  std::optional<WordNet> wordnet_;
};

std::string name_list(const std::vector<std::string>& names, std::size_t limit) {
  std::string text;
  for (std::size_t i = 0; i < names.size() && i < limit; ++i) text += (i ? ", " : "") + printable_name(names[i]);
  if (names.size() > limit) text += fmt::format(", ... ({} in all)", names.size());
  return text;
}

}  // namespace

ClassMatch match_classes(const std::vector<std::string>& data_names, const std::string& data_source,
                         const ClassList& classes, const ClassMatchOptions& options) {
  ClassIndex index(classes, options.wordnet);
  const std::string drop_hint = "; to leave it out, list it in " + options.drop_option;

  // Which names of `drop` name which classes of the file, and which of the data.
  std::vector<bool> file_class_dropped(classes.size(), false), drop_used(options.drop.size(), false);
  for (std::size_t d = 0; d < options.drop.size(); ++d)
    for (const std::size_t c : index.find(options.drop[d])) {
      file_class_dropped[c] = true;
      drop_used[d] = true;
    }

  ClassMatch match;
  std::vector<std::int64_t> data_of_class(classes.size(), kDropped);
  for (std::size_t i = 0; i < data_names.size(); ++i) {
    const std::string& name = data_names[i];
    const auto named = std::find(options.drop.begin(), options.drop.end(), name);
    if (named != options.drop.end()) {
      drop_used[std::size_t(named - options.drop.begin())] = true;
      match.class_of.push_back(kDropped);
      continue;
    }
    const auto found = index.find(name);
    if (found.size() == 1 && file_class_dropped[found[0]]) {
      match.class_of.push_back(kDropped);
      continue;
    }
    const std::string data_class = fmt::format("class {} of the data", quoted_name(name));
    if (found.empty()) {
      std::string message = fmt::format("{} matches no class of {} (by node, WordNet id, sense name or display name)",
                                        data_class, classes.source);
      const auto closest = closest_names(name, index.names(), 3);
      if (!closest.empty()) message += "; closest: " + name_list(closest, 3);
      fail(data_source, message + drop_hint);
    }
    if (found.size() > 1)
      fail(data_source, fmt::format("{} is the display name of {} and of {} in {}; name it by its node instead",
                                    data_class, class_text(classes, found[0]), class_text(classes, found[1]),
                                    classes.source));
    const std::size_t c = found[0];
    if (data_of_class[c] != kDropped)
      fail(data_source, fmt::format("{} and class {} both match {} of {}", data_class,
                                    quoted_name(data_names[std::size_t(data_of_class[c])]), class_text(classes, c),
                                    classes.where(c)));
    data_of_class[c] = std::int64_t(i);
    match.class_of.push_back(std::int64_t(c));
  }

  std::vector<std::size_t> without_data;
  for (std::size_t c = 0; c < classes.size(); ++c)
    if (data_of_class[c] == kDropped && !file_class_dropped[c]) without_data.push_back(c);
  if (!without_data.empty()) {
    const std::size_t c = without_data.front();
    std::string message = fmt::format("{} has no data in {} (no class of the data is named {}",
                                      class_text(classes, c), data_source, printable_name(classes.classes[c].node));
    if (!classes.classes[c].display_name.empty()) message += " or " + printable_name(classes.classes[c].display_name);
    message += ")";
    if (without_data.size() > 1) message += fmt::format(", nor have {} more classes", without_data.size() - 1);
    message += "; the data's classes: " + name_list(data_names, 5);
    fail(classes.where(c), fmt::format("{}; to train without it, list it in {}", message, options.drop_option));
  }
  for (std::size_t d = 0; d < options.drop.size(); ++d)
    if (!drop_used[d])
      fail(options.drop_option, fmt::format("{} names no class of {} nor of {}",
                                            quoted_name(options.drop[d]), data_source, classes.source));
  return match;
}

}  // namespace shrewd::semantics
