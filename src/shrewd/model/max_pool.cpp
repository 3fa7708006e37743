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

// The window's values in row-major order (top-left, top-right, bottom-left, bottom-right) -> the
// position of the first maximum (0..3); a NaN counts as the maximum, as in max_pool2d.
inline std::uint8_t first_max(const float (&v)[4]) {
  std::uint8_t which = 0;
  for (std::uint8_t k = 1; k < 4; ++k) {
    if (std::isnan(v[which])) break;
    if (v[k] > v[which] || std::isnan(v[k])) which = k;
  }
  return which;
}

// Both kernels walk the output; `layout` says how a (plane or pixel) index maps to memory.
// NCHW: one task per (n, c) plane. NHWC (channels last): one task per (n, output row), channels
// innermost so consecutive iterations touch consecutive floats.
struct Shape {
  std::int64_t n, c, h, w, oh, ow;
  bool channels_last;
};

void pool_forward(const Shape& s, const float* in, float* out, std::uint8_t* arg) {
  if (!s.channels_last) {
    at::parallel_for(0, s.n * s.c, 16, [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t p = begin; p < end; ++p)
        for (std::int64_t y = 0; y < s.oh; ++y) {
          const float* top = in + (p * s.h + 2 * y) * s.w;
          const float* bottom = top + s.w;
          const std::int64_t o = (p * s.oh + y) * s.ow;
          for (std::int64_t x = 0; x < s.ow; ++x) {
            const float v[4] = {top[2 * x], top[2 * x + 1], bottom[2 * x], bottom[2 * x + 1]};
            const auto k = first_max(v);
            out[o + x] = v[k];
            arg[o + x] = k;
          }
        }
    });
    return;
  }
  at::parallel_for(0, s.n * s.oh, 4, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t row = begin; row < end; ++row) {
      const std::int64_t n = row / s.oh, y = row % s.oh;
      const float* top = in + ((n * s.h + 2 * y) * s.w) * s.c;
      const float* bottom = top + s.w * s.c;
      const std::int64_t o = row * s.ow * s.c;
      for (std::int64_t x = 0; x < s.ow; ++x)
        for (std::int64_t ch = 0; ch < s.c; ++ch) {
          const float v[4] = {top[2 * x * s.c + ch], top[(2 * x + 1) * s.c + ch], bottom[2 * x * s.c + ch],
                              bottom[(2 * x + 1) * s.c + ch]};
          const auto k = first_max(v);
          out[o + x * s.c + ch] = v[k];
          arg[o + x * s.c + ch] = k;
        }
    }
  });
}

// Writes every input position of the pooled windows once (the gradient or 0).
void pool_backward(const Shape& s, const float* grad, const std::uint8_t* arg, float* grad_in) {
  if (!s.channels_last) {
    at::parallel_for(0, s.n * s.c, 16, [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t p = begin; p < end; ++p)
        for (std::int64_t y = 0; y < s.oh; ++y) {
          float* top = grad_in + (p * s.h + 2 * y) * s.w;
          float* bottom = top + s.w;
          const std::int64_t o = (p * s.oh + y) * s.ow;
          for (std::int64_t x = 0; x < s.ow; ++x) {
            const auto k = arg[o + x];
            const float g = grad[o + x];
            top[2 * x] = k == 0 ? g : 0.0f;
            top[2 * x + 1] = k == 1 ? g : 0.0f;
            bottom[2 * x] = k == 2 ? g : 0.0f;
            bottom[2 * x + 1] = k == 3 ? g : 0.0f;
          }
        }
    });
    return;
  }
  at::parallel_for(0, s.n * s.oh, 4, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t row = begin; row < end; ++row) {
      const std::int64_t n = row / s.oh, y = row % s.oh;
      float* top = grad_in + ((n * s.h + 2 * y) * s.w) * s.c;
      float* bottom = top + s.w * s.c;
      const std::int64_t o = row * s.ow * s.c;
      for (std::int64_t x = 0; x < s.ow; ++x)
        for (std::int64_t ch = 0; ch < s.c; ++ch) {
          const auto k = arg[o + x * s.c + ch];
          const float g = grad[o + x * s.c + ch];
          top[2 * x * s.c + ch] = k == 0 ? g : 0.0f;
          top[(2 * x + 1) * s.c + ch] = k == 1 ? g : 0.0f;
          bottom[2 * x * s.c + ch] = k == 2 ? g : 0.0f;
          bottom[(2 * x + 1) * s.c + ch] = k == 3 ? g : 0.0f;
        }
    }
  });
}

class MaxPool2x2 : public torch::autograd::Function<MaxPool2x2> {
 public:
  static at::Tensor forward(AutogradContext* context, const at::Tensor& input) {
    const bool channels_last = input.is_contiguous(at::MemoryFormat::ChannelsLast) && !input.is_contiguous();
    const auto format = channels_last ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
    auto x = input.contiguous(format);
    const Shape s{x.size(0), x.size(1), x.size(2), x.size(3), x.size(2) / 2, x.size(3) / 2, channels_last};
    auto out = at::empty({s.n, s.c, s.oh, s.ow}, x.options().memory_format(format));
    auto arg = at::empty({s.n, s.c, s.oh, s.ow}, x.options().dtype(at::kByte).memory_format(format));
    pool_forward(s, x.data_ptr<float>(), out.data_ptr<float>(), arg.data_ptr<std::uint8_t>());
    context->saved_data["height"] = s.h;
    context->saved_data["width"] = s.w;
    context->saved_data["channels_last"] = channels_last;
    context->save_for_backward({arg});
    return out;
  }

  static variable_list backward(AutogradContext* context, variable_list grads) {
    const bool channels_last = context->saved_data["channels_last"].toBool();
    const auto format = channels_last ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
    auto grad = grads[0].contiguous(format);
    auto arg = context->get_saved_variables()[0];
    const Shape s{grad.size(0), grad.size(1), context->saved_data["height"].toInt(), context->saved_data["width"].toInt(),
                  grad.size(2), grad.size(3), channels_last};
    auto grad_input = at::empty({s.n, s.c, s.h, s.w}, grad.options().memory_format(format));
    // The row and column an odd size leaves outside every window get no gradient.
    if (s.h % 2) grad_input.narrow(2, s.h - 1, 1).zero_();
    if (s.w % 2) grad_input.narrow(3, s.w - 1, 1).zero_();
    pool_backward(s, grad.data_ptr<float>(), arg.data_ptr<std::uint8_t>(), grad_input.data_ptr<float>());
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
