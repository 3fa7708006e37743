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

// The expected values below are the outputs of the hand-written Jacobi solver that Eigen's BDCSVD
// replaced (commit ec678fc), printed with 15 digits: the two agree to about 1e-14.
std::vector<double> sine_matrix(std::size_t rows, std::size_t columns) {
  std::vector<double> m(rows * columns);
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < columns; ++j) m[i * columns + j] = std::sin(double(1 + i * i * 5 + 3 * j + i * j * j));
  return m;
}

void expect_svd(const TruncatedSvd& svd, const std::vector<double>& sigma, const std::vector<double>& left) {
  ASSERT_EQ(svd.rank, sigma.size());
  for (std::size_t j = 0; j < sigma.size(); ++j) EXPECT_NEAR(svd.singular_values[j], sigma[j], 1e-6) << j;
  ASSERT_EQ(svd.left.size(), left.size());
  for (std::size_t i = 0; i < left.size(); ++i) EXPECT_NEAR(svd.left[i], left[i], 1e-6) << i;
}

TEST(TruncatedSvd, MatchesTheFormerJacobiSolverOnAWideMatrix) {
  expect_svd(truncated_svd(sine_matrix(4, 6), 4, 6, 3), {2.46576885663368, 1.94689568975743, 1.36033418150028},
             {0.103525524261909, 0.496572803992209, 0.81836534343398, -0.51019842561254, 0.377913054493692,
              0.0885745893174114, 0.388424054171977, 0.755397856622653, -0.525048007153936, 0.760333339048991,
              -0.199928116553088, 0.216234356606708});
}

TEST(TruncatedSvd, MatchesTheFormerJacobiSolverOnATallMatrix) {
  expect_svd(truncated_svd(sine_matrix(6, 4), 6, 4, 3), {2.32387831871144, 1.70875417732508, 1.3773808937517},
             {0.209145806011265, 0.438296312424869, 0.733557282406672, -0.181058239587555, 0.547824567881166,
              0.126084026485874, 0.397207781411035, 0.45032437029113, -0.565791052647875, 0.645123318603132,
              -0.367375182784098, 0.0428701935558739, -0.0533053717754511, -0.405505567452736, 0.322253644816872,
              0.588792293789788, 0.0747880786065443, 0.142097682400455});
}

TEST(TruncatedSvd, DropsTheSingularValuesOfARankDeficientMatrix) {
  // sin(1 + 7i + 3j) = sin(1 + 7i) cos(3j) + cos(1 + 7i) sin(3j): rank 2 (the Jacobi solver on the
  // Gram matrix kept a third value of 2.7e-8, the square root of rounding noise).
  std::vector<double> m(6 * 4);
  for (std::size_t i = 0; i < 6; ++i)
    for (std::size_t j = 0; j < 4; ++j) m[i * 4 + j] = std::sin(double(1 + 7 * i + 3 * j));
  auto svd = truncated_svd(m, 6, 4, 3);
  ASSERT_EQ(svd.rank, 2u);
  EXPECT_NEAR(svd.singular_values[0], 3.59046795303439, 1e-6);
  EXPECT_NEAR(svd.singular_values[1], 0.504713767788896, 1e-6);
}

TEST(EmbedDocuments, MatchesTheFormerJacobiSolver) {
  std::vector<std::vector<std::string>> documents{
      {"red", "leather", "shoe", "lace", "sole"},         {"blue", "wool", "coat", "button", "sleeve"},
      {"leather", "boot", "ankle", "sole", "heel"},        {"cotton", "shirt", "sleeve", "button", "collar"},
      {"canvas", "shoe", "sneaker", "lace", "rubber", "sole"}, {"wool", "sweater", "knit", "sleeve", "collar", "warm"},
      {"leather", "sandal", "strap", "sole", "open", "toe"},  {"leather", "coat", "button", "collar", "warm"},
      {"cotton", "canvas", "sneaker", "lace"}};
  const std::vector<double> expected{
      0.626959682, 0.69256115,  0.356764019,  0.729403794, -0.682312429, -0.0491924025, 0.384457648,
      0.319650948, 0.866034389, 0.78808558,   -0.496944457, -0.363273054, 0.568785787,  0.768917203,
      -0.291974455, 0.725170016, -0.686556876, -0.0526126251, 0.367970109, 0.308509916, 0.877165675,
      0.807342649, -0.522885025, 0.273475975, 0.541141212,  0.558353782, -0.628814161};
  std::size_t dims = 3;
  auto e = embed_documents(documents, dims);
  ASSERT_EQ(dims, 3u);
  ASSERT_EQ(e.size(), expected.size());
  for (std::size_t i = 0; i < e.size(); ++i) EXPECT_NEAR(e[i], expected[i], 1e-6) << i;
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
