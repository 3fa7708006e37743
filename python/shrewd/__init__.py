"""shrewd from Python: packed binary codes, exact Hamming search, retrieval metrics and class
hierarchies, on the same C++ code as the `shrewd` command line (docs/python.md).

Codes are numpy packbits arrays, uint8 [N, K/8] (K bits, a multiple of 8 from 8 to 1024); every
function that takes codes also takes one element per bit, [N, K] of bool, int8 -1/+1 or float32
(bit = value >= 0). Errors a user can cause raise ValueError (TypeError for a dtype shrewd does not
read) with the message the command line prints, the argument's name in place of the file's.
"""

from shrewd._core import (ClassList, Hierarchy, Index, class_distances as _class_distances,
                          class_similarity as _class_similarity, pack, unpack,
                          wordnet_hierarchy as _wordnet_hierarchy)
from shrewd.evaluation import evaluate
from shrewd.semantics import as_class_list, as_hierarchy

__all__ = ["pack", "unpack", "Index", "IndexFlat", "IndexMultiIndexHashing", "read_index", "write_index",
           "evaluate", "Hierarchy", "ClassList", "wordnet_hierarchy", "class_similarity", "class_distances"]


def IndexFlat(bits, threads=1):
    """An empty index of `bits`-bit codes searched by a flat scan (the reference)."""
    return Index(bits, multi_index=False, threads=threads)


def IndexMultiIndexHashing(bits, substrings=0, threads=1):
    """An empty index searched by multi-index hashing where that is faster than the flat scan
    (results are always exactly the flat scan's); substrings 0 = about K / log2 N."""
    return Index(bits, multi_index=True, substrings=substrings, threads=threads)


def read_index(path, threads=1):
    """Reads an index file (.shx) as written by `shrewd index build|add|delete` or write_index."""
    return Index.read(path, threads)


def write_index(index, path):
    """Writes the index to an index file (.shx), atomically; `shrewd search` reads it."""
    index.write(path)


def wordnet_hierarchy(classes, wordnet="/usr/share/wordnet"):
    """The minimal WordNet tree over the classes (a ClassList, a classes file, or a list of
    synset names such as "dog.n.01"), as `shrewd hierarchy build`: (Hierarchy, resolved ClassList)."""
    return _wordnet_hierarchy(as_class_list(classes), wordnet)


def class_similarity(hierarchy, classes, measure="lcs-height"):
    """C x C class similarities s = 1 - D, float32, as `shrewd hierarchy similarity` writes them.
    hierarchy: a Hierarchy or its file; classes: a ClassList, its file, or a list of node names."""
    return _class_similarity(as_hierarchy(hierarchy), as_class_list(classes), measure)


def class_distances(hierarchy, classes, measure="lcs-height"):
    """C x C target distances D in [0, 1], float32 (lcs-height or wu-palmer, docs/method.md §2)."""
    return _class_distances(as_hierarchy(hierarchy), as_class_list(classes), measure)
