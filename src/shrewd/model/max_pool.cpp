#include "shrewd/model/max_pool.hpp"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>

#include <cmath>
#include <cstdint>

namespace shrewd::model {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

class MaxPool2x2 : public torch::autograd::Function<MaxPool2x2> {
 public:
  static at::Tensor forward(AutogradContext* context, const at::Tensor& input) {
    auto x = input.contiguous();
    const auto planes = x.size(0) * x.size(1), h = x.size(2), w = x.size(3);
    const auto oh = h / 2, ow = w / 2;
    auto out = at::empty({x.size(0), x.size(1), oh, ow}, x.options());
    auto arg = at::empty({x.size(0), x.size(1), oh, ow}, x.options().dtype(at::kByte));
    const float* in = x.data_ptr<float>();
    float* o = out.data_ptr<float>();
    std::uint8_t* a = arg.data_ptr<std::uint8_t>();
    at::parallel_for(0, planes, 16, [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t p = begin; p < end; ++p) {
        const float* plane = in + p * h * w;
        for (std::int64_t y = 0; y < oh; ++y) {
          const float* top = plane + 2 * y * w;
          const float* bottom = top + w;
          float* out_row = o + (p * oh + y) * ow;
          std::uint8_t* arg_row = a + (p * oh + y) * ow;
          for (std::int64_t x2 = 0; x2 < ow; ++x2) {
            // Row-major first maximum, as max_pool2d; NaN wins so it propagates.
            float best = top[2 * x2];
            std::uint8_t which = 0;
            const float candidates[3] = {top[2 * x2 + 1], bottom[2 * x2], bottom[2 * x2 + 1]};
            for (std::uint8_t k = 0; k < 3; ++k)
              if (candidates[k] > best || std::isnan(candidates[k])) {
                if (std::isnan(best)) break;
                best = candidates[k];
                which = std::uint8_t(k + 1);
              }
            out_row[x2] = best;
            arg_row[x2] = which;
          }
        }
      }
    });
    context->saved_data["height"] = h;
    context->saved_data["width"] = w;
    context->save_for_backward({arg});
    return out;
  }

  static variable_list backward(AutogradContext* context, variable_list grads) {
    auto grad = grads[0].contiguous();
    auto arg = context->get_saved_variables()[0];
    const auto h = context->saved_data["height"].toInt(), w = context->saved_data["width"].toInt();
    const auto oh = grad.size(2), ow = grad.size(3), planes = grad.size(0) * grad.size(1);
    // Every input element is written once (its gradient or 0), so no separate zero fill is needed
    // except for the row and column an odd size leaves out of the pooling.
    auto grad_input = at::empty({grad.size(0), grad.size(1), h, w}, grad.options());
    if (h % 2) grad_input.narrow(2, h - 1, 1).zero_();
    if (w % 2) grad_input.narrow(3, w - 1, 1).zero_();
    const float* g = grad.data_ptr<float>();
    const std::uint8_t* a = arg.data_ptr<std::uint8_t>();
    float* gi = grad_input.data_ptr<float>();
    at::parallel_for(0, planes, 16, [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t p = begin; p < end; ++p)
        for (std::int64_t y = 0; y < oh; ++y) {
          float* top = gi + (p * h + 2 * y) * w;
          float* bottom = top + w;
          const float* g_row = g + (p * oh + y) * ow;
          const std::uint8_t* a_row = a + (p * oh + y) * ow;
          for (std::int64_t x2 = 0; x2 < ow; ++x2) {
            const auto k = a_row[x2];
            const float value = g_row[x2];
            top[2 * x2] = k == 0 ? value : 0.0f;
            top[2 * x2 + 1] = k == 1 ? value : 0.0f;
            bottom[2 * x2] = k == 2 ? value : 0.0f;
            bottom[2 * x2 + 1] = k == 3 ? value : 0.0f;
          }
        }
    });
    return {grad_input};
  }
};

}  // namespace

at::Tensor max_pool_2x2(const at::Tensor& x) {
  if (x.device().is_cpu() && x.scalar_type() == at::kFloat && x.dim() == 4 && x.size(2) >= 2 && x.size(3) >= 2)
    return MaxPool2x2::apply(x);
  return at::max_pool2d(x, {2, 2});
}

}  // namespace shrewd::model
