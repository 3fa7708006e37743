"""shrewd.torch's losses against the trainer's: the same batch through shrewd_torch_trainer_losses
(the trainer's loss objects in C++, python/tests/torch_trainer_losses.cpp) and through the
modules, losses and gradients equal within 1e-6 in float32."""
import os
import pathlib
import subprocess

import numpy as np
import pytest

torch = pytest.importorskip("torch")
shrewd_torch = pytest.importorskip("shrewd.torch")
import shrewd  # noqa: E402
F = torch.nn.functional

SOURCE = pathlib.Path(os.environ.get("SHREWD_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
HIERARCHY = SOURCE / "data/hierarchies/fashion-mnist/hierarchy.txt"
CLASSES = SOURCE / "data/hierarchies/fashion-mnist/classes.txt"
TRAINER = os.environ.get("SHREWD_TORCH_TRAINER_LOSSES")
SEED_OF_EPOCH_0 = 1000003  # the trainer's start_epoch seed, train.seed * 1000003 + epoch


class Batch:
    """A fixed batch: u [n, K] (hash layer outputs), labels, a linear classifier on z, embeddings."""

    def __init__(self, directory, n=32, bits=64, classes=10, seed=3):
        generator = torch.Generator().manual_seed(seed)
        self.u = (1.5 * torch.randn(n, bits, generator=generator)).float()
        self.labels = torch.randint(0, classes, (n,), generator=generator)
        self.weight = 0.3 * torch.randn(classes, bits, generator=generator)
        self.bias = 0.1 * torch.randn(classes, generator=generator)
        self.embeddings = torch.randn(n, 12, generator=generator)
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        for name in ("u", "labels", "weight", "bias", "embeddings"):
            np.save(directory / f"{name}.npy", getattr(self, name).numpy())

    def leaf(self):
        u = self.u.clone().requires_grad_(True)
        return u, torch.tanh(u)

    def classify(self, codes):
        return F.linear(codes, self.weight, self.bias)


def hierarchy_distances():
    return shrewd.class_distances(HIERARCHY, CLASSES)


HIERARCHY_KEYS = [f"loss.hierarchy={HIERARCHY}", f"loss.classes={CLASSES}"]


def total_loss_call(**kwargs):
    def call(batch):
        loss = shrewd_torch.TotalLoss(**kwargs)
        loss.reseed(kwargs.get("seed", 1) * SEED_OF_EPOCH_0)
        u, z = batch.leaf()
        return u, loss(z, batch.labels, batch.classify(z))
    return call


def with_embeddings(**kwargs):
    def call(batch):
        loss = shrewd_torch.TotalLoss(**kwargs)
        loss.reseed(SEED_OF_EPOCH_0)
        u, z = batch.leaf()
        return u, loss(z, batch.labels, batch.classify(z), embeddings=batch.embeddings)
    return call


def similarity_call(batch):
    u, z = batch.leaf()
    return u, shrewd_torch.SimilarityLoss(l1=True, class_distances=hierarchy_distances())(z, batch.labels)


def kl_call(seed, **kwargs):
    def call(batch):
        kl = shrewd_torch.KLDivergence(seed=seed, **kwargs)
        kl.reseed(seed * SEED_OF_EPOCH_0)
        u, z = batch.leaf()
        return u, kl(z)
    return call


def classifier_call(batch):
    u, z = batch.leaf()
    return u, shrewd_torch.ClassifierLoss()(batch.classify(z), batch.labels)


def dpsh_call(batch):
    u, _ = batch.leaf()
    return u, shrewd_torch.DpshLoss()(u, batch.labels)


def hashnet_call(batch):
    u, _ = batch.leaf()
    return u, shrewd_torch.HashNetLoss()(u, batch.labels, step=450)


def csq_call(bits, seed):
    def call(batch):
        u, z = batch.leaf()
        return u, shrewd_torch.CsqLoss(10, bits=bits, seed=seed)(z, batch.labels)
    return call


def greedyhash_call(batch):
    u, _ = batch.leaf()
    return u, shrewd_torch.GreedyHashLoss()(u, batch.labels, batch.classify)


# name, K, the trainer's method, step and config overrides, the same loss from shrewd.torch
CASES = [
    ("total_hierarchy", 64, "shrewd", 0, HIERARCHY_KEYS,
     lambda b: total_loss_call(class_distances=hierarchy_distances())(b)),
    ("total_labels_wu_palmer", 64, "shrewd", 0,
     HIERARCHY_KEYS + ["loss.hierarchy_measure=wu-palmer", "loss.w_kl=0.5", "loss.kl_k=2"],
     lambda b: total_loss_call(w_kl=0.5, kl_k=2,
                               class_distances=shrewd.class_distances(HIERARCHY, CLASSES, "wu-palmer"))(b)),
    ("total_flat_labels_seed", 64, "shrewd", 0, ["loss.targets=labels", "train.seed=9", "loss.relative=false"],
     lambda b: total_loss_call(seed=9, relative=False)(b)),
    ("total_embeddings_joint", 64, "shrewd", 0,
     ["loss.targets=embeddings", "loss.embedding_measure=angular", "loss.kl_mode=joint", "loss.w_ce=0.5",
      "loss.kl_m=40", "loss.w_kl=0.2"],
     with_embeddings(embedding_measure="angular", kl_mode="joint", w_ce=0.5, kl_m=40, w_kl=0.2)),
    ("similarity_l1", 64, "shrewd", 0, HIERARCHY_KEYS + ["loss.w_ce=0", "loss.w_kl=0", "loss.w_sim=1", "loss.l1=true"],
     similarity_call),
    ("kl_per_bit", 64, "shrewd", 0, ["loss.w_ce=0", "loss.w_sim=0", "loss.w_kl=1", "loss.kl_sigma=0.2", "train.seed=5"],
     kl_call(5, kl_sigma=0.2)),
    ("kl_joint", 64, "shrewd", 0,
     ["loss.w_ce=0", "loss.w_sim=0", "loss.w_kl=1", "loss.kl_mode=joint", "loss.kl_k=3", "loss.kl_eps=1e-4"],
     kl_call(1, kl_mode="joint", kl_k=3, kl_eps=1e-4)),
    ("classifier", 64, "classifier", 0, [], classifier_call),
    ("dpsh", 64, "dpsh", 0, [], dpsh_call),
    ("hashnet", 64, "hashnet", 450, [], hashnet_call),
    ("csq_hadamard", 64, "csq", 0, ["model.bits=64"], csq_call(64, 1)),
    ("csq_random", 24, "csq", 0, ["model.bits=24", "train.seed=4"], csq_call(24, 4)),
    ("greedyhash", 64, "greedyhash", 0, [], greedyhash_call),
]


@pytest.mark.skipif(TRAINER is None, reason="SHREWD_TORCH_TRAINER_LOSSES (the trainer's side, built by CMake) not set")
@pytest.mark.parametrize("name,bits,method,step,overrides,module_call", CASES, ids=[case[0] for case in CASES])
def test_loss_and_gradient_equal_the_trainers(tmp_path, name, bits, method, step, overrides, module_call):
    batch = Batch(tmp_path / "batch", bits=bits)
    prefix = tmp_path / name
    # The hierarchy files always: the trainer reads them for loss.targets = hierarchy, the default.
    subprocess.run([TRAINER, str(batch.directory), method, str(step), str(prefix), *HIERARCHY_KEYS, *overrides],
                   check=True)
    trainer_terms = np.load(f"{prefix}.terms.npy")
    trainer_grad = np.load(f"{prefix}.grad.npy")

    u, total = module_call(batch)
    total.backward()
    assert total.dtype == torch.float32
    np.testing.assert_allclose(total.item(), trainer_terms[0], rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(u.grad.numpy(), trainer_grad, rtol=1e-6, atol=1e-6)
    assert np.abs(trainer_grad).max() > 0  # a gradient that is there


def test_total_loss_reports_the_trainers_terms(tmp_path):
    if TRAINER is None:
        pytest.skip("SHREWD_TORCH_TRAINER_LOSSES not set")
    batch = Batch(tmp_path / "batch")
    subprocess.run([TRAINER, str(batch.directory), "shrewd", "0", str(tmp_path / "t"), *HIERARCHY_KEYS], check=True)
    trainer_terms = np.load(tmp_path / "t.terms.npy")
    loss = shrewd_torch.TotalLoss(class_distances=hierarchy_distances())
    loss.reseed(SEED_OF_EPOCH_0)
    _, z = batch.leaf()
    loss(z, batch.labels, batch.classify(z))
    for index, name in enumerate(("ce", "sim", "kl"), start=1):
        np.testing.assert_allclose(loss.terms[name].item(), trainer_terms[index], rtol=1e-6, atol=1e-6)


def test_terms_left_out_as_in_the_trainer(tmp_path):
    batch = Batch(tmp_path)
    _, z = batch.leaf()
    loss = shrewd_torch.TotalLoss()
    loss(z)  # no labels, no logits: KL alone
    assert loss.terms["ce"] is None and loss.terms["sim"] is None and loss.terms["kl"] is not None
    loss = shrewd_torch.TotalLoss(w_kl=0)
    loss(z, batch.labels)  # flat labels, no logits: L_sim alone
    assert loss.terms["ce"] is None and loss.terms["sim"] is not None and loss.terms["kl"] is None


def test_kl_draws_fresh_targets_and_reseed_repeats_them():
    z = torch.tanh(torch.randn(64, 16, generator=torch.Generator().manual_seed(0)))
    kl = shrewd_torch.KLDivergence(seed=7)
    first, second = kl(z).item(), kl(z).item()
    assert first != second
    kl.reseed(7)
    assert kl(z).item() == first


def test_modules_follow_their_tensors_device():
    if not torch.cuda.is_available():
        pytest.skip("no CUDA device")
    z = torch.tanh(torch.randn(16, 32, device="cuda", requires_grad=True))
    labels = torch.randint(0, 10, (16,), device="cuda")
    loss = shrewd_torch.TotalLoss(class_distances=hierarchy_distances()).cuda()
    total = loss(z, labels)
    total.backward()
    assert total.device.type == "cuda"
