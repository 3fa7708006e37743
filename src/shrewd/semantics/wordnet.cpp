#include "shrewd/semantics/wordnet.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <fmt/format.h>

#include "shrewd/common/error.hpp"
#include "shrewd/common/printable.hpp"
#include "shrewd/common/read_file.hpp"
#include "shrewd/semantics/edit_distance.hpp"
#include "shrewd/semantics/text_file.hpp"

namespace shrewd::semantics {

namespace {

// A cursor over one line of a wndb file: space-separated fields.
class FieldReader {
 public:
  FieldReader(std::string_view line, const std::string& source, std::size_t line_number)
      : line_(line), source_(source), line_number_(line_number) {}

  std::string_view next(const char* what) {
    while (position_ < line_.size() && line_[position_] == ' ') ++position_;
    const std::size_t start = position_;
    while (position_ < line_.size() && line_[position_] != ' ') ++position_;
    if (position_ == start) broken(std::string("missing ") + what);
    return line_.substr(start, position_ - start);
  }

  std::uint32_t number(const char* what, int base = 10) {
    const std::string_view field = next(what);
    std::uint32_t value = 0;
    const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value, base);
    if (error != std::errc() || end != field.data() + field.size())
      broken(fmt::format("bad {} {}", what, quoted_name(field)));
    return value;
  }

  std::string_view rest() const { return line_.substr(std::min(position_, line_.size())); }

  [[noreturn]] void broken(const std::string& problem) const {
    fail(fmt::format("{}:{}", source_, line_number_), problem);
  }

 private:
  std::string_view line_;
  const std::string& source_;
  std::size_t line_number_;
  std::size_t position_ = 0;
};

// Calls body(line_number, line_start_offset, line) for each line of a wndb file; the licence
// header lines, which start with a space, are skipped.
template <class Body>
void for_each_record(std::string_view text, Body&& body) {
  std::size_t start = 0;
  std::size_t number = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    ++number;
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && line.front() != ' ') body(number, start, line);
    start = end + 1;
  }
}

std::string normalise_lemma(std::string_view text) {
  std::string lemma(trim(text));
  for (char& c : lemma) c = c == ' ' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lemma;
}

}  // namespace

std::string WordNet::id(std::uint32_t offset) {
  char text[16];
  std::snprintf(text, sizeof text, "n%08u", offset);
  return text;
}

bool WordNet::parse_id(std::string_view text, std::uint32_t& offset) {
  if (!text.empty() && text.front() == 'n') text.remove_prefix(1);
  if (text.size() != 8) return false;
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  std::from_chars(text.data(), text.data() + text.size(), offset);
  return true;
}

WordNet WordNet::load(const std::filesystem::path& directory) {
  WordNet wordnet;
  wordnet.directory_ = directory;
  const std::filesystem::path data_path = directory / "data.noun";
  const std::filesystem::path index_path = directory / "index.noun";
  if (!std::filesystem::is_directory(directory))
    fail(directory.string(), "no such WordNet directory (install wordnet-base or pass --wordnet DIR)");
  wordnet.data_text_ = std::make_unique<std::string>(read_file(data_path, "the WordNet noun data"));
  wordnet.index_text_ = std::make_unique<std::string>(read_file(index_path, "the WordNet noun index"));
  wordnet.parse_data(*wordnet.data_text_, data_path.string());
  wordnet.parse_index(*wordnet.index_text_, index_path.string());
  return wordnet;
}

void WordNet::parse_data(std::string_view text, const std::string& source) {
  struct Slots {
    std::size_t lemma_begin, lemma_count, hypernym_begin, hypernym_count, instance_begin, instance_count;
  };
  std::vector<Slots> slots;
  std::vector<std::uint32_t> instance_pointers;
  std::vector<std::uint32_t> hypernym_pointers;
  synsets_.reserve(90000);
  slots.reserve(90000);
  synset_lemmas_.reserve(150000);

  for_each_record(text, [&](std::size_t number, std::size_t line_offset, std::string_view line) {
    FieldReader fields(line, source, number);
    Synset synset;
    synset.offset = fields.number("synset offset");
    if (synset.offset != line_offset)
      fields.broken(fmt::format("synset offset {} differs from its byte position {} (damaged or edited file)",
                                synset.offset, line_offset));
    if (!synsets_.empty() && synset.offset <= synsets_.back().offset) fields.broken("synset offsets not ascending");
    fields.next("lexicographer file number");
    if (fields.next("synset type") != "n") fields.broken("not a noun synset");
    const std::uint32_t word_count = fields.number("word count", 16);
    if (word_count == 0) fields.broken("synset without words");
    Slots slot{};
    slot.lemma_begin = synset_lemmas_.size();
    slot.lemma_count = word_count;
    for (std::uint32_t w = 0; w < word_count; ++w) {
      synset_lemmas_.push_back(fields.next("word"));
      fields.next("lexical id");
    }
    const std::uint32_t pointer_count = fields.number("pointer count");
    slot.hypernym_begin = hypernym_pointers.size();
    slot.instance_begin = instance_pointers.size();
    for (std::uint32_t p = 0; p < pointer_count; ++p) {
      const std::string_view symbol = fields.next("pointer symbol");
      const std::uint32_t target = fields.number("pointer offset");
      const std::string_view pos = fields.next("pointer part of speech");
      fields.next("pointer source/target");
      if (pos != "n") continue;
      if (symbol == "@") hypernym_pointers.push_back(target);
      if (symbol == "@i") instance_pointers.push_back(target);
    }
    slot.hypernym_count = hypernym_pointers.size() - slot.hypernym_begin;
    slot.instance_count = instance_pointers.size() - slot.instance_begin;
    const std::string_view rest = fields.rest();
    const std::size_t bar = rest.find('|');
    if (bar == std::string_view::npos) fields.broken("no gloss ('|' missing)");
    synset.gloss = trim(rest.substr(bar + 1));
    synsets_.push_back(synset);
    slots.push_back(slot);
  });
  if (synsets_.empty()) fail(source, "no synsets found");

  // All pointers in one array so that each synset's lists are spans into stable storage.
  synset_pointers_.reserve(hypernym_pointers.size() + instance_pointers.size());
  synset_pointers_ = hypernym_pointers;
  synset_pointers_.insert(synset_pointers_.end(), instance_pointers.begin(), instance_pointers.end());
  const std::uint32_t* hypernyms = synset_pointers_.data();
  const std::uint32_t* instances = synset_pointers_.data() + hypernym_pointers.size();
  for (std::size_t i = 0; i < synsets_.size(); ++i) {
    const Slots& slot = slots[i];
    synsets_[i].lemmas = {synset_lemmas_.data() + slot.lemma_begin, slot.lemma_count};
    synsets_[i].hypernyms = {hypernyms + slot.hypernym_begin, slot.hypernym_count};
    synsets_[i].instance_hypernyms = {instances + slot.instance_begin, slot.instance_count};
  }
  for (const Synset& synset : synsets_)
    for (const auto list : {synset.hypernyms, synset.instance_hypernyms})
      for (const std::uint32_t target : list)
        if (!find(target))
          fail(source, fmt::format("synset {} points to missing synset {}", id(synset.offset), id(target)));
}

void WordNet::parse_index(std::string_view text, const std::string& source) {
  lemma_names_.reserve(120000);
  sense_ranges_.reserve(120000);
  sense_offsets_.reserve(150000);
  lemma_position_.reserve(240000);
  for_each_record(text, [&](std::size_t number, std::size_t, std::string_view line) {
    FieldReader fields(line, source, number);
    const std::string_view lemma = fields.next("lemma");
    if (fields.next("part of speech") != "n") fields.broken("not a noun entry");
    const std::uint32_t synset_count = fields.number("synset count");
    const std::uint32_t pointer_count = fields.number("pointer count");
    for (std::uint32_t p = 0; p < pointer_count; ++p) fields.next("pointer symbol");
    fields.number("sense count");
    fields.number("tagged sense count");
    const auto begin = static_cast<std::uint32_t>(sense_offsets_.size());
    for (std::uint32_t s = 0; s < synset_count; ++s) {
      const std::uint32_t offset = fields.number("synset offset");
      if (!find(offset)) fields.broken(fmt::format("synset {} is not in data.noun", id(offset)));
      sense_offsets_.push_back(offset);
    }
    if (!lemma_position_.emplace(lemma, static_cast<std::uint32_t>(lemma_names_.size())).second)
      fields.broken(fmt::format("lemma {} listed twice", quoted_name(lemma)));
    lemma_names_.push_back(lemma);
    sense_ranges_.emplace_back(begin, synset_count);
  });
  if (lemma_names_.empty()) fail(source, "no lemmas found");
}

const Synset* WordNet::find(std::uint32_t offset) const {
  const auto it = std::lower_bound(synsets_.begin(), synsets_.end(), offset,
                                   [](const Synset& s, std::uint32_t o) { return s.offset < o; });
  return it != synsets_.end() && it->offset == offset ? &*it : nullptr;
}

const Synset& WordNet::synset(std::uint32_t offset) const {
  const Synset* found = find(offset);
  if (!found) fail((directory_ / "data.noun").string(), "no noun synset " + id(offset));
  return *found;
}

std::span<const std::uint32_t> WordNet::senses(std::string_view lemma) const {
  const auto it = lemma_position_.find(normalise_lemma(lemma));
  if (it == lemma_position_.end()) return {};
  const auto [begin, count] = sense_ranges_[it->second];
  return {sense_offsets_.data() + begin, count};
}

std::vector<std::string> WordNet::suggest_lemmas(std::string_view word, std::size_t count) const {
  return closest_names(normalise_lemma(word), lemma_names_, count);
}

std::string WordNet::sense_name(const Synset& synset) const {
  const std::string lemma = normalise_lemma(synset.lemmas.front());
  const auto list = senses(lemma);
  const auto it = std::find(list.begin(), list.end(), synset.offset);
  const std::size_t position = it == list.end() ? 0 : static_cast<std::size_t>(it - list.begin()) + 1;
  char number[8];
  std::snprintf(number, sizeof number, "%02zu", position);
  return fmt::format("{}.n.{}", lemma, number);
}

const Synset& WordNet::resolve(std::string_view name) const {
  const std::string where = fmt::format("WordNet ({})", directory_.string());
  const std::string_view text = trim(name);
  std::uint32_t offset = 0;
  if (parse_id(text, offset)) {
    const Synset* found = find(offset);
    if (!found) fail(where, "no noun synset " + id(offset));
    return *found;
  }

  // lemma.pos.NN; a bare lemma is answered with its senses.
  std::string_view lemma = text;
  std::size_t sense_number = 0;
  const std::size_t last_dot = text.rfind('.');
  if (last_dot != std::string_view::npos && last_dot >= 2 && text[last_dot - 2] == '.') {
    const std::string_view number = text.substr(last_dot + 1);
    const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), sense_number);
    if (error == std::errc() && end == number.data() + number.size() && !number.empty()) {
      const char pos = text[last_dot - 1];
      if (pos != 'n')
        fail(where, quoted_name(text) + " is not a noun sense; only nouns (lemma.n.NN) are supported");
      lemma = text.substr(0, last_dot - 2);
    } else {
      sense_number = 0;
    }
  }
  const auto list = senses(lemma);
  if (list.empty()) {
    std::string message = "unknown noun " + quoted_name(lemma);
    const auto suggestions = suggest_lemmas(lemma, 5);
    if (!suggestions.empty()) {
      message += "; closest lemmas:";
      for (std::size_t i = 0; i < suggestions.size(); ++i) message += (i ? ", " : " ") + printable_name(suggestions[i]);
    }
    fail(where, message);
  }
  if (sense_number == 0 || sense_number > list.size()) {
    std::string message = sense_number == 0 ? quoted_name(text) + " is not a synset name (lemma.n.NN)"
                                            : fmt::format("{} has only {} noun sense(s)",
                                                          quoted_name(lemma), list.size());
    message += "; its senses:";
    for (std::size_t i = 0; i < list.size() && i < 12; ++i) {
      const Synset& s = synset(list[i]);
      char number[8];
      std::snprintf(number, sizeof number, "%02zu", i + 1);
      std::string gloss(s.gloss.substr(0, s.gloss.find(';')));
      message += fmt::format("\n  {} ({}): {}", printable_name(fmt::format("{}.n.{}", normalise_lemma(lemma),
                                                                           number)), id(s.offset),
                             printable_name(gloss, 200));
    }
    fail(where, message);
  }
  return synset(list[sense_number - 1]);
}

}  // namespace shrewd::semantics
