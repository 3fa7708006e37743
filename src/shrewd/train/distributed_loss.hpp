#pragma once

#include "shrewd/train/baselines/hashing_loss.hpp"
#include "shrewd/train/distributed.hpp"

namespace shrewd::train {

// The loss inputs of the whole global batch, from this rank's: u, z and logits all-gathered (the
// local rows keep their graph), labels and target distances as given (every rank holds the global
// batch's), and `classify` applied to this rank's rows only, then gathered (so the classifier's
// gradient is not counted once per rank). Every rank must call this, and `classify`, in step.
LossInputs gather_global_batch(const DistributedContext& context, LossInputs local);

}  // namespace shrewd::train
