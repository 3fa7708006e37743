#include "shrewd/train/baselines/classifier_loss.hpp"

#include "shrewd/common/error.hpp"

namespace shrewd::train {

LossTerms ClassifierLoss::operator()(const LossInputs& in) {
  require_labels(in, "classifier");
  if (!in.logits.defined()) fail("loss.method classifier", "the model has no classifier head");
  LossTerms terms;
  terms.ce = torch::nn::functional::cross_entropy(in.logits, in.labels);
  terms.total = terms.ce;
  return terms;
}

}  // namespace shrewd::train
