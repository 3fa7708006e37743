"""Bad arguments to shrewd.torch raise TypeError or ValueError naming the argument or the
configuration key, never crash; the constructors' defaults are the trainer's."""
import json
import os
import pathlib

import numpy as np
import pytest

torch = pytest.importorskip("torch")
shrewd_torch = pytest.importorskip("shrewd.torch")
import shrewd  # noqa: E402
from shrewd import _torch  # noqa: E402

SOURCE = pathlib.Path(os.environ.get("SHREWD_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
HIERARCHY = SOURCE / "data/hierarchies/fashion-mnist/hierarchy.txt"
CLASSES = SOURCE / "data/hierarchies/fashion-mnist/classes.txt"


def z_batch(n=8, bits=16, dtype=torch.float32):
    return torch.tanh(torch.randn(n, bits, dtype=dtype))


LABELS = torch.tensor([0, 1, 2, 3, 0, 1, 2, 3])


def test_defaults_are_the_trainers():
    loss_keys = json.loads(_torch.default_config())["loss"]
    seed = json.loads(_torch.default_config())["train"]["seed"]
    total = shrewd_torch.TotalLoss.__init__.__defaults__
    names = shrewd_torch.TotalLoss.__init__.__code__.co_varnames[1:1 + len(total)]
    defaults = dict(zip(names, total))
    for key in ("w_ce", "w_sim", "w_kl", "relative", "l1", "eps", "kl_mode", "kl_k", "kl_sigma", "kl_m", "kl_eps",
                "embedding_measure"):
        assert defaults[key] == loss_keys[key], key
    assert defaults["seed"] == seed
    bits = json.loads(_torch.default_config())["model"]["bits"]
    assert shrewd_torch.CsqLoss.__init__.__defaults__ == (bits, seed)


@pytest.mark.parametrize("z,error,words", [
    (np.zeros((8, 16), np.float32), TypeError, "z: expected a torch.Tensor, got ndarray"),
    ([[0.0] * 16] * 8, TypeError, "z: expected a torch.Tensor, got list"),
    (torch.zeros(8, 16, dtype=torch.int64), TypeError, "z: expected a float32 or float64 tensor, got torch.int64"),
    (torch.zeros(8, 16, dtype=torch.float16), TypeError, "got torch.float16"),
    (torch.zeros(8), ValueError, "z: expected a tensor [n, K]"),
    (torch.zeros(2, 8, 16), ValueError, "got shape [2, 8, 16]"),
    (torch.zeros(1, 16), ValueError, "at least 2 items"),
    (torch.zeros(8, 12), ValueError, "K = 12 bits is not supported: K must be a multiple of 8 from 8 to 1024"),
    (torch.zeros(8, 1032), ValueError, "multiple of 8"),
    (torch.zeros(8, 0), ValueError, "multiple of 8"),
])
def test_bad_outputs(z, error, words):
    for loss in (shrewd_torch.TotalLoss(), shrewd_torch.KLDivergence(), lambda z: shrewd_torch.SimilarityLoss()(z, LABELS)):
        with pytest.raises(error) as raised:
            loss(z)
        assert words in str(raised.value)


@pytest.mark.parametrize("labels,error,words", [
    (torch.tensor([0.0] * 8), TypeError, "labels: expected an integer tensor"),
    (torch.tensor([True] * 8), TypeError, "labels: expected an integer tensor"),
    (np.zeros(8, np.int64), TypeError, "labels: expected a torch.Tensor"),
    (torch.tensor([0, 1, 2]), ValueError, "labels: expected a tensor [8]"),
    (torch.zeros(8, 1, dtype=torch.int64), ValueError, "labels: expected a tensor [8]"),
    (torch.tensor([0, 1, 2, 3, 0, 1, 2, -1]), ValueError, "labels: labels must be >= 0, got -1"),
    (torch.tensor([0, 1, 2, 3, 0, 1, 2, 10]), ValueError, "label 10 is not below the number of classes, 10"),
])
def test_bad_labels(labels, error, words):
    loss = shrewd_torch.TotalLoss(class_distances=shrewd.class_distances(HIERARCHY, CLASSES))
    with pytest.raises(error) as raised:
        loss(z_batch(), labels)
    assert words in str(raised.value)


def test_labels_beyond_the_classifier_or_centres():
    z = z_batch()
    with pytest.raises(ValueError, match="label 3 is not below the number of classes, 3"):
        shrewd_torch.TotalLoss()(z, LABELS, torch.zeros(8, 3))
    with pytest.raises(ValueError, match="label 3 is not below the number of classes, 3"):
        shrewd_torch.ClassifierLoss()(torch.zeros(8, 3), LABELS)
    with pytest.raises(ValueError, match="label 3 is not below the number of classes, 3"):
        shrewd_torch.CsqLoss(3, bits=16)(z, LABELS)


@pytest.mark.parametrize("kwargs,error,words", [
    ({"logits": torch.zeros(7, 4)}, ValueError, "logits: expected a tensor [8, C], got shape [7, 4]"),
    ({"logits": torch.zeros(8, 4, dtype=torch.int32)}, TypeError, "logits: expected a floating-point tensor"),
    ({"embeddings": torch.zeros(8)}, ValueError, "embeddings: expected a tensor [8, C], got shape [8]"),
    ({"target_distances": torch.zeros(8, 7)}, ValueError, "target_distances: expected a tensor [8, 8]"),
    ({"target_distances": "near"}, TypeError, "target_distances: expected a torch.Tensor, got str"),
])
def test_bad_targets_and_logits(kwargs, error, words):
    with pytest.raises(error) as raised:
        shrewd_torch.TotalLoss()(z_batch(), LABELS, **kwargs)
    assert words in str(raised.value)


def test_bad_class_distances():
    with pytest.raises(ValueError, match=r"class_distances: expected a tensor \[4, 4\], got shape \[4, 3\]"):
        shrewd_torch.SimilarityLoss(class_distances=torch.zeros(4, 3))(z_batch(), LABELS)
    with pytest.raises(ValueError, match="class_distances: expected a tensor"):
        shrewd_torch.SimilarityLoss(class_distances=torch.zeros(4))(z_batch(), LABELS)
    with pytest.raises(ValueError, match="give labels"):
        shrewd_torch.SimilarityLoss()(z_batch())


@pytest.mark.parametrize("make,words", [
    (lambda: shrewd_torch.KLDivergence(kl_k=0), "config loss.kl_k: must be in 1..1024, got 0"),
    (lambda: shrewd_torch.KLDivergence(kl_mode="both"), "loss.kl_mode: unknown value 'both' (expected per-bit or joint)"),
    (lambda: shrewd_torch.KLDivergence(kl_sigma=-1), "loss.kl_sigma"),
    (lambda: shrewd_torch.KLDivergence(kl_eps=0), "loss.kl_eps"),
    (lambda: shrewd_torch.KLDivergence(seed=-1), "train.seed"),
    (lambda: shrewd_torch.TotalLoss(w_sim=-3), "loss.w_sim"),
    (lambda: shrewd_torch.TotalLoss(w_ce="high"), "'loss.w_ce' must be a number, got a string"),
    (lambda: shrewd_torch.TotalLoss(relative=1), "'loss.relative' must be a boolean"),
    (lambda: shrewd_torch.TotalLoss(kl_m=-1), "loss.kl_m"),
    (lambda: shrewd_torch.SimilarityLoss(eps=2), "loss.eps"),
    (lambda: shrewd_torch.SimilarityLoss(embedding_measure="euclid"), "loss.embedding_measure"),
    (lambda: shrewd_torch.CsqLoss(10, bits=12), "model.bits: must be a multiple of 8 in 8..1024, got 12"),
    (lambda: shrewd_torch.CsqLoss(0), "csq needs class labels"),
])
def test_bad_options(make, words):
    with pytest.raises(ValueError) as raised:
        make()
    assert words in str(raised.value)


def test_bad_calls_of_the_baselines():
    z = z_batch()
    with pytest.raises(ValueError, match="z: CsqLoss was made for 64 bits, got 16"):
        shrewd_torch.CsqLoss(10)(z, LABELS)
    with pytest.raises(ValueError, match="step: must be >= 0, got -1"):
        shrewd_torch.HashNetLoss()(z, LABELS, step=-1)
    with pytest.raises(TypeError, match="classifier: expected a callable"):
        shrewd_torch.GreedyHashLoss()(z, LABELS, "linear")
    with pytest.raises(ValueError, match=r"classifier\(codes\): expected floating-point logits \[8, C\] with C > 3"):
        shrewd_torch.GreedyHashLoss()(z, LABELS, lambda b: b[:, :2])
    with pytest.raises(TypeError, match=r"classifier\(codes\): expected a torch.Tensor, got int"):
        shrewd_torch.GreedyHashLoss()(z, LABELS, lambda b: 3)
    with pytest.raises(ValueError, match="boom"):
        shrewd_torch.GreedyHashLoss()(z, LABELS, lambda b: (_ for _ in ()).throw(ValueError("boom")))
    with pytest.raises(ValueError, match="loss.method dpsh: needs class labels"):
        shrewd_torch.DpshLoss()(z, None)


def test_kl_batch_too_small_for_k():
    with pytest.raises(ValueError, match="loss.kl_k = 3 needs more than 3 items"):
        shrewd_torch.KLDivergence(kl_k=3)(z_batch(n=3))
    with pytest.raises(ValueError, match="loss.kl_k = 2 needs more than 2 items"):
        shrewd_torch.KLDivergence(kl_k=2, kl_m=1)(z_batch())


def test_float64_and_non_contiguous_outputs_work():
    z = z_batch(bits=32, dtype=torch.float64).t().contiguous().t()[:, :16]
    assert not z.is_contiguous()
    assert shrewd_torch.TotalLoss()(z, LABELS).dtype == torch.float64
