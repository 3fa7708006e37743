#include "shrewd/semantics/text_embedding.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "shrewd/common/error.hpp"
#include "shrewd/semantics/class_list.hpp"
#include "shrewd/semantics/wordnet.hpp"
#include "test_helpers.hpp"

namespace shrewd::semantics {
namespace {

double dot(const std::vector<float>& e, std::size_t d, std::size_t a, std::size_t b) {
  double sum = 0;
  for (std::size_t j = 0; j < d; ++j) sum += double(e[a * d + j]) * e[b * d + j];
  return sum;
}

TEST(Tokenize, LowerCasesSplitsOnPunctuationAndDropsStopWordsAndSingleLetters) {
  EXPECT_EQ(tokenize("A canvas_shoe, with a T-shirt (cotton)!"),
            (std::vector<std::string>{"canvas", "shoe", "shirt", "cotton"}));
}

TEST(Tfidf, WeightsMatchHandValues) {
  // docs "red shoe", "red coat": idf(red) = ln(3/3) + 1 = 1, idf(shoe) = idf(coat) = ln(3/2) + 1 = 1.4054651.
  // row 0 over (coat, red, shoe) = (0, 1, 1.4054651) / sqrt(1 + 1.4054651^2) = (0, 0.5797387, 0.8148025).
  auto m = tfidf({{"red", "shoe"}, {"red", "coat"}});
  ASSERT_EQ(m.vocabulary, (std::vector<std::string>{"coat", "red", "shoe"}));
  EXPECT_NEAR(m.values[0], 0.0, 1e-12);
  EXPECT_NEAR(m.values[1], 0.5797387, 1e-6);
  EXPECT_NEAR(m.values[2], 0.8148025, 1e-6);
  EXPECT_NEAR(m.values[3], 0.8148025, 1e-6);  // row 1: coat
}

TEST(SymmetricEigen, FindsEigenpairsOfATwoByTwoMatrix) {
  // [[2, 1], [1, 2]]: eigenvalues 3 (vector (1, 1)/sqrt 2) and 1 (vector (1, -1)/sqrt 2).
  auto e = symmetric_eigen({2, 1, 1, 2}, 2);
  EXPECT_NEAR(e.values[0], 3.0, 1e-12);
  EXPECT_NEAR(e.values[1], 1.0, 1e-12);
  EXPECT_NEAR(std::abs(e.vectors[0]), 1 / std::sqrt(2.0), 1e-12);
  EXPECT_NEAR(e.vectors[0], e.vectors[2], 1e-12);  // first column (v0, v1) has equal entries
  EXPECT_NEAR(e.vectors[1], -e.vectors[3], 1e-12);
}

TEST(SymmetricEigen, ReconstructsARandomSymmetricMatrix) {
  const std::size_t n = 6;
  std::vector<double> a(n * n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j <= i; ++j) a[i * n + j] = a[j * n + i] = std::sin(double(1 + i * 7 + j * 3));
  auto e = symmetric_eigen(a, n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      double sum = 0;  // (V diag(values) V^T)_ij
      for (std::size_t k = 0; k < n; ++k) sum += e.vectors[i * n + k] * e.values[k] * e.vectors[j * n + k];
      EXPECT_NEAR(sum, a[i * n + j], 1e-10);
    }
  for (std::size_t k = 1; k < n; ++k) EXPECT_GE(e.values[k - 1], e.values[k]);
}

TEST(TruncatedSvd, SingularValuesOfAKnownMatrixFromEitherSide) {
  // A = [[3, 0], [0, 4], [0, 0]] has singular values 4 and 3; the tall and the wide form agree.
  auto tall = truncated_svd({3, 0, 0, 4, 0, 0}, 3, 2, 5);
  ASSERT_EQ(tall.rank, 2u);
  EXPECT_NEAR(tall.singular_values[0], 4.0, 1e-10);
  EXPECT_NEAR(tall.singular_values[1], 3.0, 1e-10);
  EXPECT_NEAR(tall.left[1 * 2 + 0], 1.0, 1e-10);  // u_0 = e_1 (sign fixed positive)
  auto wide = truncated_svd({3, 0, 0, 0, 4, 0}, 2, 3, 1);
  ASSERT_EQ(wide.rank, 1u);
  EXPECT_NEAR(wide.singular_values[0], 4.0, 1e-10);
}

TEST(EmbedDocuments, IdenticalDocumentsGetIdenticalUnitEmbeddingsAndRankCapsTheDimensions) {
  std::size_t dims = 10;
  auto e = embed_documents({{"red", "shoe"}, {"red", "shoe"}, {"blue", "coat"}}, dims);
  EXPECT_EQ(dims, 2u);  // two distinct documents: rank 2
  EXPECT_NEAR(dot(e, dims, 0, 0), 1.0, 1e-6);
  EXPECT_NEAR(dot(e, dims, 0, 1), 1.0, 1e-6);
  EXPECT_NEAR(dot(e, dims, 0, 2), 0.0, 1e-6);  // no shared word
  std::size_t none = 3;
  EXPECT_THROW(embed_documents({{}, {}}, none), Error);
}

TEST(TextEmbeddingOnWordNet, FashionMnistShoesAreCloserToEachOtherThanToTrousers) {
  if (!testing::have_system_wordnet()) GTEST_SKIP() << "WordNet 3.0 not installed";
  auto wordnet = WordNet::load(testing::system_wordnet);
  auto classes = ClassList::load(std::filesystem::path(SHREWD_SOURCE_DIR) / "data/hierarchies/fashion-mnist/classes.txt");
  std::vector<std::vector<std::string>> documents;
  for (const auto& entry : classes.classes) documents.push_back(synset_document(wordnet, class_synset(wordnet, entry.node)));
  std::size_t dims = 8;
  auto e = embed_documents(documents, dims);
  EXPECT_EQ(dims, 8u);
  // classes: 1 Trouser, 5 Sandal, 7 Sneaker, 9 Ankle boot
  for (std::size_t shoe : {5u, 7u})
    EXPECT_GT(dot(e, dims, shoe, 9), dot(e, dims, 1, 9)) << classes.label(shoe);
  EXPECT_GT(dot(e, dims, 5, 7), dot(e, dims, 1, 7));
}

TEST(TextEmbeddingOnWordNet, ClassSynsetAcceptsIdsSenseNamesAndSelfNodes) {
  if (!testing::have_system_wordnet()) GTEST_SKIP() << "WordNet 3.0 not installed";
  auto wordnet = WordNet::load(testing::system_wordnet);
  const auto& shirt = class_synset(wordnet, "shirt.n.01");
  EXPECT_EQ(&class_synset(wordnet, "n04197391.self"), &shirt);
  EXPECT_EQ(&class_synset(wordnet, WordNet::id(shirt.offset)), &shirt);
  auto document = synset_document(wordnet, shirt, {0, false});
  EXPECT_NE(std::find(document.begin(), document.end(), "garment"), document.end());  // "a garment worn on ..."
}

}  // namespace
}  // namespace shrewd::semantics
