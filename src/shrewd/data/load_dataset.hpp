#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "shrewd/data/dataset.hpp"

namespace shrewd::data {

// Names one dataset for a configuration file or a command line.
struct DataSource {
  // fashion-mnist | mnist | idx | cifar10 | cifar100 | image-folder | npy | captions
  std::string format = "fashion-mnist";
  // fashion-mnist, mnist, cifar10, cifar100, image-folder: a directory;
  // idx: the images file; npy: the features file; captions: the manifest.
  // Empty for fashion-mnist means /usr/share/datasets/fashion-mnist.
  std::filesystem::path path;
  bool train = true;                 // train or test part (fashion-mnist, mnist, cifar10, cifar100)
  std::filesystem::path labels;      // idx: labels file; npy: labels .npy (optional)
  std::filesystem::path embeddings;  // captions: embeddings .npy; other formats: optional extra targets
  bool coarse_labels = false;        // cifar100: the 20 superclasses instead of the 100 classes
  // When set, labels index this classes file, paired with the data's own class names by name
  // (with_class_list in class_labels.hpp); drop_classes names classes to leave out.
  std::filesystem::path classes;
  std::vector<std::string> drop_classes;
};

// Loads the dataset a DataSource names; an unknown format is an Error listing the known ones.
Dataset load_dataset(const DataSource& source);

}  // namespace shrewd::data
