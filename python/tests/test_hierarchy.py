"""shrewd.Hierarchy, ClassList, wordnet_hierarchy and the class matrices against `shrewd
hierarchy build|similarity` on the same files, and their errors."""

import re

import numpy as np
import pytest

import shrewd

WORDNET = "/usr/share/wordnet"


@pytest.mark.parametrize("dataset", ["cifar100", "fashion-mnist"])
@pytest.mark.parametrize("measure", ["lcs-height", "wu-palmer"])
def test_similarity_equals_the_command_lines(cli, source_dir, tmp_path, dataset, measure):
    hierarchy = f"{source_dir}/data/hierarchies/{dataset}/hierarchy.txt"
    classes = f"{source_dir}/data/hierarchies/{dataset}/classes.txt"
    cli("hierarchy", "similarity", "--hierarchy", hierarchy, "--classes", classes, "--measure", measure,
        "--out", tmp_path / "s.npy")
    expected = np.load(tmp_path / "s.npy")
    similarity = shrewd.class_similarity(hierarchy, classes, measure)
    assert similarity.dtype == np.float32 and similarity.shape == expected.shape
    np.testing.assert_array_equal(similarity, expected)
    assert len(np.unique(similarity)) > 2  # a graded similarity, not the identity
    distances = shrewd.class_distances(shrewd.Hierarchy.load(hierarchy), shrewd.ClassList.load(classes), measure)
    np.testing.assert_array_equal(1 - distances, expected)


@pytest.mark.parametrize("dataset", ["cifar100", "fashion-mnist"])
def test_wordnet_hierarchy_equals_the_command_lines(cli, source_dir, tmp_path, dataset):
    synsets = f"{source_dir}/data/hierarchies/{dataset}/synsets.txt"
    cli("hierarchy", "build", "--classes", synsets, "--out", tmp_path / "h.txt", "--classes-out", tmp_path / "c.txt")
    hierarchy, classes = shrewd.wordnet_hierarchy(synsets, wordnet=WORDNET)
    assert hierarchy.to_text() == (tmp_path / "h.txt").read_text()
    written = shrewd.ClassList.load(str(tmp_path / "c.txt"))
    assert classes.nodes == written.nodes and classes.names == written.names
    hierarchy.write(tmp_path / "again.txt")
    assert (tmp_path / "again.txt").read_text() == (tmp_path / "h.txt").read_text()


def test_wordnet_hierarchy_of_a_list_of_names():
    hierarchy, classes = shrewd.wordnet_hierarchy(["dog.n.01", "cat.n.01", "car.n.01", "domestic_animal.n.01"])
    assert classes.names == ["dog", "cat", "car", "domestic animal"]
    assert hierarchy.root == "n00001740"  # entity.n.01
    assert all(hierarchy.height(node) == 0 for node in classes.nodes)  # every class is a leaf
    # dog's path to the root runs through domestic animal, which gets a leaf of its own
    assert classes.nodes[3] == "n01317541.self" and "n01317541" in hierarchy.parents("n02084071")
    similarity = shrewd.class_similarity(hierarchy, classes)
    assert similarity[0, 3] > similarity[0, 1] > similarity[0, 2]  # dog: domestic animal, then cat, then car


def test_hierarchy_in_memory():
    h = shrewd.Hierarchy.from_edges([("animal", "dog"), ("animal", "cat"), ("root", "animal"), ("root", "car")])
    assert (h.root, len(h), h.is_tree()) == ("root", 5, True)
    assert (h.height("root"), h.depth("dog"), h.children("animal"), h.parents("dog")) == (2, 2, ["dog", "cat"],
                                                                                           ["animal"])
    assert "cat" in h and "cow" not in h
    s = shrewd.class_similarity(h, ["dog", "cat", "car"])
    np.testing.assert_array_equal(s, np.array([[1, 0.5, 0], [0.5, 1, 0], [0, 0, 1]], np.float32))
    assert shrewd.Hierarchy.parse(h.to_text()).edges == h.edges
    with pytest.raises(KeyError, match="no node named 'cow'"):
        h.height("cow")


def raises(message):
    return pytest.raises(ValueError, match=re.escape(message))


def test_bad_hierarchies_and_classes_raise(tmp_path):
    with pytest.raises(ValueError, match="cycle"):
        shrewd.Hierarchy.from_edges([("a", "b"), ("b", "a"), ("r", "a")])
    with pytest.raises(ValueError, match=re.escape(str(tmp_path / "none.txt"))):
        shrewd.Hierarchy.load(str(tmp_path / "none.txt"))
    h = shrewd.Hierarchy.from_edges([("root", "dog"), ("root", "cat")])
    with pytest.raises(ValueError, match="cow"):
        shrewd.class_similarity(h, ["dog", "cow"])
    with raises("measure"):
        shrewd.class_similarity(h, ["dog", "cat"], measure="jaccard")
    with raises("names: 1 names given for 2 classes"):
        shrewd.ClassList(["dog", "cat"], names=["Dog"])
    with pytest.raises(ValueError, match="doggo"):
        shrewd.wordnet_hierarchy(["doggo.n.01"])
