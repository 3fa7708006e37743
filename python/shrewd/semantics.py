"""Hierarchies and class lists given as objects, files or plain lists."""

import os

from shrewd._core import ClassList, Hierarchy


def as_hierarchy(hierarchy):
    """A Hierarchy, or the Hierarchy of a 'parent child' file."""
    if isinstance(hierarchy, Hierarchy):
        return hierarchy
    return Hierarchy.load(os.fspath(hierarchy))


def as_class_list(classes):
    """A ClassList, the ClassList of a classes file, or classes on a list of node names."""
    if isinstance(classes, ClassList):
        return classes
    if isinstance(classes, (str, os.PathLike)):
        return ClassList.load(os.fspath(classes))
    return ClassList(list(classes))
