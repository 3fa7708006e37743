#include "shrewd/train/run_options.hpp"

namespace shrewd::train {

data::DataSource data_source(const DataConfig& d) {
  data::DataSource source;
  source.format = d.format;
  source.path = d.path;
  source.train = true;
  source.labels = d.labels;
  source.embeddings = d.embeddings;
  source.coarse_labels = d.coarse_labels;
  return source;
}

model::HashModelOptions model_options(const ModelConfig& m) {
  model::HashModelOptions options;
  options.backbone = m.backbone;
  options.bits = m.bits;
  options.hidden = m.hidden;
  options.dropout = m.dropout;
  options.channels = m.channels;
  options.convs_per_stage = m.convs_per_stage;
  options.feature_dim = m.feature_dim;
  return options;
}

MethodSettings method_settings(const RunConfig& c) {
  MethodSettings settings;
  settings.weights = {c.loss.w_ce, c.loss.w_sim, c.loss.w_kl};
  settings.similarity = {c.loss.relative, c.loss.l1, c.loss.eps};
  settings.kl.mode = c.loss.kl_mode;
  settings.kl.k = c.loss.kl_k;
  settings.kl.sigma = c.loss.kl_sigma;
  settings.kl.target_samples = c.loss.kl_m;
  settings.kl.eps = c.loss.kl_eps;
  settings.classifier = c.model.classifier;
  settings.seed = c.train.seed;
  settings.bits = c.model.bits;
  return settings;
}

LrSchedule lr_schedule(const RunConfig& c) {
  return {c.optim.lr, c.optim.schedule, c.optim.step_epochs, c.optim.gamma, c.optim.warmup_epochs, c.train.epochs};
}

RunConfig with_values_used(RunConfig c, const data::Preprocessing& preprocessing, const model::HashModelOptions& used) {
  static_cast<data::Preprocessing&>(c.preprocessing) = preprocessing;
  c.preprocessing.normalize = preprocessing.mean.empty() ? Normalize::None : Normalize::Fixed;
  const auto model = model::with_backbone_defaults(used);
  c.model.backbone = model.backbone;
  c.model.bits = model.bits;
  c.model.dropout = model.dropout;
  c.model.hidden = model.hidden;
  c.model.channels = model.channels;
  c.model.convs_per_stage = model.convs_per_stage;
  c.model.feature_dim = model.feature_dim;
  return c;
}

}  // namespace shrewd::train
