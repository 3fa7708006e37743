#include "shrewd/semantics/wordnet.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "support/temp_dir.hpp"
#include "test_helpers.hpp"

namespace shrewd::semantics {
namespace {

using testing::error_of;

class SystemWordNet : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (testing::have_system_wordnet()) wordnet_ = new WordNet(WordNet::load(testing::system_wordnet));
  }
  static void TearDownTestSuite() {
    delete wordnet_;
    wordnet_ = nullptr;
  }
  void SetUp() override {
    if (!wordnet_) GTEST_SKIP() << "WordNet 3.0 not installed in /usr/share/wordnet (package wordnet-base)";
  }
  static const WordNet& wordnet() { return *wordnet_; }

 private:
  static inline WordNet* wordnet_ = nullptr;
};

std::vector<std::string> lemmas_of(const Synset& synset) { return {synset.lemmas.begin(), synset.lemmas.end()}; }

TEST_F(SystemWordNet, LoadsAllNounSynsetsAndLemmas) {
  EXPECT_EQ(wordnet().synset_count(), 82115u);  // WordNet 3.0 nouns
  EXPECT_EQ(wordnet().lemma_count(), 117798u);
}

TEST_F(SystemWordNet, DogSenseOneIsTheDomesticDog) {
  const Synset& dog = wordnet().resolve("dog.n.01");
  EXPECT_EQ(WordNet::id(dog.offset), "n02084071");
  EXPECT_EQ(lemmas_of(dog), (std::vector<std::string>{"dog", "domestic_dog", "Canis_familiaris"}));
  EXPECT_TRUE(dog.gloss.starts_with("a member of the genus Canis (probably descended from the common wolf)"));
  std::vector<std::string> hypernyms;
  for (const auto offset : dog.hypernyms) hypernyms.push_back(wordnet().sense_name(wordnet().synset(offset)));
  EXPECT_EQ(hypernyms, (std::vector<std::string>{"canine.n.02", "domestic_animal.n.01"}));
  EXPECT_EQ(dog.hypernyms[0], 2083346u);
  EXPECT_TRUE(dog.instance_hypernyms.empty());
}

TEST_F(SystemWordNet, ResolvesIdsOffsetsAndSenseNamesAlike) {
  const std::uint32_t dog = 2084071;
  EXPECT_EQ(wordnet().resolve("n02084071").offset, dog);
  EXPECT_EQ(wordnet().resolve("02084071").offset, dog);
  EXPECT_EQ(wordnet().resolve("Dog.n.01").offset, dog);
  EXPECT_EQ(wordnet().resolve("domestic dog.n.01").offset, dog);
  EXPECT_EQ(wordnet().resolve("domestic_dog.n.01").offset, dog);
  EXPECT_EQ(wordnet().sense_name(wordnet().synset(dog)), "dog.n.01");
  EXPECT_EQ(WordNet::id(wordnet().resolve("dog.n.02").offset), "n10114209");  // index.noun sense order
}

TEST_F(SystemWordNet, InstancesPointToTheirClassThroughInstanceHypernyms) {
  const Synset& einstein = wordnet().resolve("einstein.n.01");
  EXPECT_TRUE(einstein.hypernyms.empty());
  ASSERT_FALSE(einstein.instance_hypernyms.empty());
  const auto& list = einstein.instance_hypernyms;
  EXPECT_NE(std::find(list.begin(), list.end(), wordnet().resolve("physicist.n.01").offset), list.end());
}

TEST_F(SystemWordNet, EntityIsTheRootOfAllNouns) {
  const Synset& entity = wordnet().synset(WordNet::entity_offset);
  EXPECT_EQ(wordnet().sense_name(entity), "entity.n.01");
  EXPECT_TRUE(entity.hypernyms.empty());
  EXPECT_TRUE(entity.instance_hypernyms.empty());
}

TEST_F(SystemWordNet, UnknownLemmaSuggestsTheClosestLemmas) {
  const std::string message = error_of([&] { wordnet().resolve("dgo.n.01"); });
  EXPECT_NE(message.find("unknown noun 'dgo'"), std::string::npos) << message;
  EXPECT_NE(message.find("closest lemmas:"), std::string::npos) << message;
  EXPECT_NE(message.find(" dog"), std::string::npos) << message;
  const std::string sneaker = error_of([&] { wordnet().resolve("sneakr.n.01"); });
  EXPECT_NE(sneaker.find("sneaker"), std::string::npos) << sneaker;
}

TEST_F(SystemWordNet, RejectsMissingSensesOffsetsAndOtherPartsOfSpeech) {
  EXPECT_NE(error_of([&] { wordnet().resolve("dog.n.08"); }).find("only 7 noun sense(s)"), std::string::npos);
  EXPECT_NE(error_of([&] { wordnet().resolve("n99999999"); }).find("no noun synset n99999999"), std::string::npos);
  EXPECT_NE(error_of([&] { wordnet().resolve("dog.v.01"); }).find("only nouns"), std::string::npos);
  const std::string bare = error_of([&] { wordnet().resolve("dog"); });
  EXPECT_NE(bare.find("not a synset name"), std::string::npos) << bare;
  EXPECT_NE(bare.find("dog.n.01 (n02084071)"), std::string::npos) << bare;
}

TEST(WordNetFiles, MissingDirectoryIsAnErrorNamingIt) {
  const std::string message = error_of([] { WordNet::load("/nonexistent/wordnet"); });
  EXPECT_NE(message.find("/nonexistent/wordnet"), std::string::npos);
}

TEST(WordNetFiles, ReadsAHandMadeDatabase) {
  shrewd::testing::TempDir dir;
  const auto offsets = testing::write_mini_wordnet(
      dir.path(), {{"entity", {}}, {"animal", {"entity"}}, {"rex", {}, {"animal"}}});
  const WordNet wordnet = WordNet::load(dir.path());
  EXPECT_EQ(offsets.at("entity"), WordNet::entity_offset);
  EXPECT_EQ(wordnet.synset_count(), 3u);
  const Synset& rex = wordnet.resolve("rex.n.01");
  EXPECT_EQ(rex.gloss, "the gloss of rex");
  ASSERT_EQ(rex.instance_hypernyms.size(), 1u);
  EXPECT_EQ(rex.instance_hypernyms[0], offsets.at("animal"));
}

TEST(WordNetFiles, DamagedDataFileIsAnErrorNamingFileAndLine) {
  shrewd::testing::TempDir dir;
  testing::write_mini_wordnet(dir.path(), {{"entity", {}}, {"animal", {"entity"}}});
  std::string data = shrewd::testing::read_bytes(dir / "data.noun");
  shrewd::testing::write_bytes(dir / "data.noun", data.substr(0, data.size() - 40) + "\n");  // cut the last record
  const std::string message = error_of([&] { WordNet::load(dir.path()); });
  EXPECT_NE(message.find("data.noun:3"), std::string::npos) << message;
}

TEST(WordNetFiles, ShiftedOffsetsAreDetected) {
  shrewd::testing::TempDir dir;
  testing::write_mini_wordnet(dir.path(), {{"entity", {}}, {"animal", {"entity"}}});
  const std::string data = shrewd::testing::read_bytes(dir / "data.noun");
  shrewd::testing::write_bytes(dir / "data.noun", " extra header line\n" + data);
  const std::string message = error_of([&] { WordNet::load(dir.path()); });
  EXPECT_NE(message.find("byte position"), std::string::npos) << message;
}

TEST(WordNetFiles, DanglingPointerIsDetected) {
  shrewd::testing::TempDir dir;
  testing::write_mini_wordnet(dir.path(), {{"entity", {}}, {"animal", {"nothing"}}});  // points to offset 0
  const std::string message = error_of([&] { WordNet::load(dir.path()); });
  EXPECT_NE(message.find("missing synset n00000000"), std::string::npos) << message;
}

TEST(WordNetFiles, BinaryBytesInRecordsAreEscapedAndCut) {
  shrewd::testing::TempDir dir;
  testing::write_mini_wordnet(dir.path(), {{"entity", {}}, {"animal", {"entity"}}});
  const std::string binary = std::string("\x01\x1b[2J\xff", 6) + std::string(5000, 'z');
  const std::string data = shrewd::testing::read_bytes(dir / "data.noun");
  const std::string index = shrewd::testing::read_bytes(dir / "index.noun");
  // A bad number field in data.noun, a lemma listed twice in index.noun, an unknown word asked for.
  std::string bad_count = data;
  bad_count.replace(bad_count.find(" n 01 animal"), 12, " n " + binary + " animal");
  const std::string duplicate = index + binary + " n 1 0 1 0 00001740  \n" + binary + " n 1 0 1 0 00001740  \n";
  for (const auto& [data_text, index_text] : {std::pair{bad_count, index}, std::pair{data, duplicate}}) {
    shrewd::testing::write_bytes(dir / "data.noun", data_text);
    shrewd::testing::write_bytes(dir / "index.noun", index_text);
    const std::string message = error_of([&] { WordNet::load(dir.path()); });
    EXPECT_NE(message.find(".noun:"), std::string::npos) << message.substr(0, 200);
    EXPECT_EQ(message.find('\x01'), std::string::npos) << message.substr(0, 200);
    EXPECT_EQ(message.find('\xff'), std::string::npos) << message.substr(0, 200);
    EXPECT_LT(message.size(), 600u) << message.substr(0, 200);
  }
  shrewd::testing::write_bytes(dir / "data.noun", data);
  shrewd::testing::write_bytes(dir / "index.noun", index);
  const WordNet wordnet = WordNet::load(dir.path());
  for (const std::string& name : {binary, binary + ".n.01", "animal.n.01" + binary, "animal.v.01" + binary}) {
    const std::string message = error_of([&] { wordnet.resolve(name); });
    EXPECT_EQ(message.find('\x01'), std::string::npos) << message.substr(0, 200);
    EXPECT_EQ(message.find('\xff'), std::string::npos) << message.substr(0, 200);
    EXPECT_LT(message.size(), 1000u) << message.substr(0, 200);
  }
}

}  // namespace
}  // namespace shrewd::semantics
