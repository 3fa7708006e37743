"""Shared helpers of the Python tests: the `shrewd` program built beside the package (ctest sets
SHREWD_CLI) and a runner that fails the test with the program's output."""

import os
import subprocess

import pytest


@pytest.fixture(scope="session")
def cli():
    path = os.environ.get("SHREWD_CLI")
    if not path or not os.access(path, os.X_OK):
        pytest.fail("SHREWD_CLI must name the built shrewd program (ctest sets it)")

    def run(*args):
        done = subprocess.run([path, *map(str, args)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.fail(f"shrewd {' '.join(map(str, args))} failed:\n{done.stdout}{done.stderr}")
        return done.stdout

    return run


@pytest.fixture(scope="session")
def source_dir():
    return os.environ.get("SHREWD_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
