#pragma once

#include <memory>
#include <vector>

#include <torch/torch.h>

#include "shrewd/train/distributed_options.hpp"
#include "shrewd/train/total_loss.hpp"

namespace shrewd::train {

// One process of a data-parallel run: a c10d ProcessGroupGloo joined through the rendezvous.
//
// The recipe that makes N processes train exactly like one process with the same global batch:
//   - every rank builds the same global batch (same seed, same permutation) and runs the model on
//     its slice of b = B / N rows (local_rows);
//   - the outputs (u, z, logits) are all-gathered (all_gather_rows), so every loss term is computed
//     on the whole global batch, exactly as in one process; the local slice keeps its autograd
//     graph, the other ranks' rows are constants;
//   - each rank differentiates N x the global loss (rank_objective): its gradient is then N x the
//     share of the full gradient that flows through its own rows, and average_gradients (the mean
//     over ranks) sums these shares into the full gradient;
//   - parameters start equal (broadcast_from_main) and every rank takes the same optimizer step.
class DistributedContext {
 public:
  // Joins the group; blocks until all world_size ranks have joined (or the timeout passes:
  // an Error naming the rendezvous).
  explicit DistributedContext(const DistributedOptions& options);
  ~DistributedContext();
  DistributedContext(const DistributedContext&) = delete;
  DistributedContext& operator=(const DistributedContext&) = delete;

  int rank() const { return options_.rank; }
  int world_size() const { return options_.world_size; }

  // Concatenation along dim 0 of every rank's `local` (all ranks: the same shape), in rank order.
  // Gradients flow into this rank's own rows only, as if the other rows were inputs.
  torch::Tensor all_gather_rows(const torch::Tensor& local) const;
  // Replaces every gradient by its mean over the ranks (one flat all-reduce).
  void average_gradients(const std::vector<torch::Tensor>& parameters) const;
  // Copies rank 0's values into every rank's tensors (parameters and buffers).
  void broadcast_from_main(const std::vector<torch::Tensor>& tensors) const;
  // Sum over the ranks of a few numbers (for logs).
  std::vector<double> sum(const std::vector<double>& values) const;

 private:
  struct Group;
  DistributedOptions options_;
  std::unique_ptr<Group> group_;
};

// Rows [rank * b, (rank + 1) * b) of a global batch of world_size * b rows (an undefined tensor
// stays undefined); an Error when the rows do not divide evenly.
torch::Tensor local_rows(const torch::Tensor& global, int rank, int world_size);

// The loss a rank differentiates: world_size x terms.total, terms computed on the all-gathered
// global batch. After average_gradients the gradient is that of terms.total in one process.
torch::Tensor rank_objective(const LossTerms& terms, int world_size);

}  // namespace shrewd::train
