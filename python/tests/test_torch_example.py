"""examples/pytorch_loop.py with a tiny budget: trains a few steps with shrewd.torch's loss,
encodes, indexes, searches and evaluates, and prints the table."""
import os
import pathlib
import subprocess
import sys

import pytest

pytest.importorskip("torch")
pytest.importorskip("shrewd.torch")

SOURCE = pathlib.Path(os.environ.get("SHREWD_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
DATA = pathlib.Path("/usr/share/datasets/fashion-mnist")


@pytest.mark.skipif(not (DATA / "t10k-images-idx3-ubyte.gz").exists(), reason="dataset-fashion-mnist not installed")
def test_example_runs_end_to_end():
    run = subprocess.run([sys.executable, str(SOURCE / "examples/pytorch_loop.py"), "--epochs", "2", "--steps", "3",
                          "--subset", "600", "--bits", "16", "--threads", "1"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert "epoch 2:" in run.stdout
    assert "encoded 600 queries and 600 database images into 16-bit codes" in run.stdout
    assert "mAP@" in run.stdout and "mAHP@" in run.stdout
