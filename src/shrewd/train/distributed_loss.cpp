#include "shrewd/train/distributed_loss.hpp"

namespace shrewd::train {

LossInputs gather_global_batch(const DistributedContext& context, LossInputs local) {
  LossInputs global = local;
  if (local.u.defined()) global.u = context.all_gather_rows(local.u);
  if (local.z.defined()) global.z = context.all_gather_rows(local.z);
  if (local.logits.defined()) global.logits = context.all_gather_rows(local.logits);
  if (local.classify) {
    global.classify = [&context, classify = local.classify](const torch::Tensor& codes) {
      return context.all_gather_rows(classify(local_rows(codes, context.rank(), context.world_size())));
    };
  }
  return global;
}

}  // namespace shrewd::train
