#include "shrewd/train/distributed.hpp"

#include <fmt/format.h>
#include <torch/csrc/distributed/c10d/FileStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include "shrewd/common/error.hpp"

namespace shrewd::train {

struct DistributedContext::Group {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> gloo;
};

namespace {

bool is_loopback(const std::string& host) { return host == "localhost" || host.rfind("127.", 0) == 0; }

// A collective that threw: "rank <r>: <what>: <the library's message>".
[[noreturn]] void fail_collective(int rank, const char* what, const std::exception& e) {
  fail(fmt::format("rank {}", rank), fmt::format("{}: {}", what, e.what()));
}

}  // namespace

DistributedContext::DistributedContext(const DistributedOptions& options)
    : options_(options), group_(std::make_unique<Group>()) {
  check_distributed_options(options_);
  const Rendezvous rendezvous = parse_rendezvous(options_.rendezvous);
  const std::string where = fmt::format("rank {} of {} (--rendezvous {})",
                                        options_.rank, options_.world_size, options_.rendezvous);
  const std::chrono::milliseconds timeout = options_.timeout;
  try {
    std::string device_host;
    if (rendezvous.kind == Rendezvous::Kind::File) {
      group_->store = c10::make_intrusive<c10d::FileStore>(rendezvous.path, options_.world_size);
      device_host = "127.0.0.1";  // a file store is for processes on one machine
    } else {
      c10d::TCPStoreOptions store_options;
      store_options.port = std::uint16_t(rendezvous.port);
      store_options.isServer = options_.rank == 0;
      store_options.numWorkers = std::size_t(options_.world_size);
      store_options.waitWorkers = true;
      store_options.timeout = timeout;
      group_->store = c10::make_intrusive<c10d::TCPStore>(rendezvous.host, store_options);
      if (is_loopback(rendezvous.host)) device_host = "127.0.0.1";
    }
    group_->store->setTimeout(timeout);
    auto gloo_options = c10d::ProcessGroupGloo::Options::create(timeout);
    gloo_options->devices.push_back(device_host.empty() ? c10d::ProcessGroupGloo::createDefaultDevice()
                                                        : c10d::ProcessGroupGloo::createDeviceForHostname(device_host));
    group_->gloo = c10::make_intrusive<c10d::ProcessGroupGloo>(group_->store, options_.rank, options_.world_size,
                                                              gloo_options);
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    fail(where, std::string("cannot join the process group: ") + e.what());
  }
}

DistributedContext::~DistributedContext() = default;

torch::Tensor DistributedContext::all_gather_rows(const torch::Tensor& local) const {
  std::vector<torch::Tensor> input{local.detach().contiguous()};
  std::vector<std::vector<torch::Tensor>> output(1);
  for (int r = 0; r < world_size(); ++r) output[0].push_back(torch::empty_like(input[0]));
  try {
    group_->gloo->allgather(output, input)->wait();
  } catch (const std::exception& e) {
    fail_collective(rank(), "all-gather failed (another rank died?)", e);
  }
  // The local rows with their graph, the others as constants: d(loss)/d(local) flows back
  // through this rank's network; the other ranks' shares are added by average_gradients.
  output[0][std::size_t(rank())] = local;
  return torch::cat(output[0], 0);
}

void DistributedContext::average_gradients(const std::vector<torch::Tensor>& parameters) const {
  std::vector<torch::Tensor> grads;
  for (const auto& p : parameters) {
    if (!p.requires_grad()) continue;
    // A parameter this step did not reach gets a zero gradient on every rank alike, so the
    // flat buffers of all ranks line up.
    if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
    grads.push_back(p.grad());
  }
  if (grads.empty()) return;
  std::vector<torch::Tensor> flat{torch::cat([&] {
    std::vector<torch::Tensor> pieces;
    for (const auto& g : grads) pieces.push_back(g.reshape({-1}));
    return pieces;
  }())};
  try {
    group_->gloo->allreduce(flat)->wait();
  } catch (const std::exception& e) {
    fail_collective(rank(), "gradient all-reduce failed (another rank died?)", e);
  }
  flat[0].div_(world_size());
  std::int64_t offset = 0;
  for (auto& g : grads) {
    const auto n = g.numel();
    g.copy_(flat[0].narrow(0, offset, n).view_as(g));
    offset += n;
  }
}

void DistributedContext::broadcast_from_main(const std::vector<torch::Tensor>& tensors) const {
  torch::NoGradGuard no_grad;
  for (const auto& t : tensors) {
    std::vector<torch::Tensor> one{t.is_contiguous() ? t : t.contiguous()};
    try {
      group_->gloo->broadcast(one)->wait();
    } catch (const std::exception& e) {
      fail_collective(rank(), "broadcast failed", e);
    }
    if (!one[0].is_same(t)) t.copy_(one[0]);
  }
}

std::vector<double> DistributedContext::sum(const std::vector<double>& values) const {
  std::vector<torch::Tensor> buffer{torch::tensor(values, torch::kFloat64)};
  try {
    group_->gloo->allreduce(buffer)->wait();
  } catch (const std::exception& e) {
    fail_collective(rank(), "all-reduce failed", e);
  }
  return {buffer[0].data_ptr<double>(), buffer[0].data_ptr<double>() + buffer[0].numel()};
}

torch::Tensor local_rows(const torch::Tensor& global, int rank, int world_size) {
  if (!global.defined() || world_size == 1) return global;
  const auto rows = global.size(0);
  if (rows % world_size != 0)
    fail("distributed batch", fmt::format("{} rows do not split evenly over {} ranks", rows, world_size));
  const auto share = rows / world_size;
  return global.narrow(0, share * rank, share);
}

torch::Tensor rank_objective(const LossTerms& terms, int world_size) {
  return world_size == 1 ? terms.total : terms.total * double(world_size);
}

}  // namespace shrewd::train
