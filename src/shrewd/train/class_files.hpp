#pragma once

#include <filesystem>

#include "shrewd/data/load_dataset.hpp"
#include "shrewd/train/run_config.hpp"

namespace shrewd::train {

// The data directory shipped with shrewd (hierarchies/<name>/...): $SHREWD_DATA_DIR when set,
// else the data/ directory of the source tree the program was built from.
std::filesystem::path shipped_data_dir();

// The configuration with loss.hierarchy and loss.classes as absolute paths of files that exist
// (docs/training.md, "Hierarchy and classes files"). Hierarchy targets without them take the
// files shipped for data.format (fashion-mnist, cifar100 fine labels); for other data, or when the
// shipped files cannot be found, the Error says what to set. A relative path is read from the
// working directory, and the Error for a missing one says so.
RunConfig with_class_files(RunConfig config);

// The training part of the data (data_source), with labels paired to loss.classes by name when a
// classes file is set and data.drop_classes left out.
data::DataSource training_source(const RunConfig& config);

}  // namespace shrewd::train
