"""shrewd's training losses as torch.nn.Module (docs/python.md, "Losses in PyTorch").

Each module calls the trainer's own C++ functions (src/shrewd/train) on the tensors it is given,
on their device; the result is a torch.Tensor whose graph runs through those functions, so
``loss.backward()`` gives the gradients ``shrewd train`` would. Constructor arguments are the
configuration keys of docs/training.md (``loss.*``, ``train.seed``, ``model.bits``) with the same
defaults, ranges and error messages.

Targets of the similarity term (docs/method.md §2), whichever is given, in this order:
``target_distances`` [n, n]; ``embeddings`` [n, E] (loss.embedding_measure); ``labels`` [n] with the
module's ``class_distances`` [C, C] (a hierarchy: ``shrewd.class_distances(hierarchy, classes)``),
or flat labels without it.
"""
import json

import torch

from . import _torch

__all__ = [
    "SimilarityLoss", "KLDivergence", "TotalLoss",
    "ClassifierLoss", "DpshLoss", "HashNetLoss", "CsqLoss", "GreedyHashLoss",
]


def _options(**sections):
    return json.dumps({name: keys for name, keys in sections.items() if keys})


def _as_class_distances(matrix):
    if matrix is None or isinstance(matrix, torch.Tensor):
        return matrix
    return torch.as_tensor(matrix)  # e.g. the numpy array of shrewd.class_distances


class SimilarityLoss(torch.nn.Module):
    """L_sim (docs/method.md §4): relative code distances matched to target distances.

    ``forward(z, labels=None, *, embeddings=None, target_distances=None)`` with z [n, K] (tanh
    outputs) returns the scalar loss. ``class_distances`` is a buffer: ``.to(device)`` moves it.
    """

    def __init__(self, relative=True, l1=False, eps=1e-6, class_distances=None, embedding_measure="cosine"):
        super().__init__()
        self.register_buffer("class_distances", _as_class_distances(class_distances))
        self._loss = _torch.SimilarityLoss(_options(
            loss={"relative": relative, "l1": l1, "eps": eps, "embedding_measure": embedding_measure}))

    def forward(self, z, labels=None, *, embeddings=None, target_distances=None):
        return self._loss(z, labels, self.class_distances, embeddings, target_distances)


class KLDivergence(torch.nn.Module):
    """The kNN estimate of the KL divergence from the outputs to a binary target distribution
    (docs/method.md §5), per bit or joint (``kl_mode``). Fresh target samples at every call from
    the module's own generator, seeded with ``seed`` (train.seed); ``reseed(seed)`` restarts it
    (the trainer reseeds every epoch with seed * 1000003 + epoch).

    ``forward(z)`` with z [n, K] returns the scalar estimate.
    """

    def __init__(self, kl_mode="per-bit", kl_k=1, kl_sigma=0.1, kl_m=0, kl_eps=1e-3, seed=1):
        super().__init__()
        self._kl = _torch.KLDivergence(_options(
            loss={"kl_mode": kl_mode, "kl_k": kl_k, "kl_sigma": kl_sigma, "kl_m": kl_m, "kl_eps": kl_eps},
            train={"seed": seed}))

    def reseed(self, seed):
        self._kl.reseed(seed)

    def forward(self, z):
        return self._kl(z)


class _HashingLoss(torch.nn.Module):
    """A loss made by the trainer's factory (make_hashing_loss) for ``method``. ``terms`` holds the
    last call's terms in the trainer's slots (ce, sim, kl; None where the loss has no such term),
    detached."""

    def __init__(self, method, options="{}", classes=0, class_distances=None):
        super().__init__()
        self.register_buffer("class_distances", _as_class_distances(class_distances))
        self._loss = _torch.HashingLoss(method, options, classes)
        self.terms = {}

    def _call(self, *, u=None, z=None, logits=None, labels=None, embeddings=None, target_distances=None,
              step=0, classify=None):
        total, ce, sim, kl = self._loss(u, z, logits, labels, self.class_distances, embeddings, target_distances,
                                        step, classify)
        self.terms = {name: None if term is None else term.detach()
                      for name, term in (("ce", ce), ("sim", sim), ("kl", kl))}
        return total


class TotalLoss(_HashingLoss):
    """The method's loss (loss.method = shrewd, docs/method.md §6):
    w_ce * CE(logits, labels) + w_sim * L_sim + w_kl * KL.

    ``forward(z, labels=None, logits=None, *, embeddings=None, target_distances=None)``: CE needs
    logits and labels (left out otherwise), L_sim target distances (left out when none are
    given), KL only z. ``reseed(seed)`` restarts the KL term's generator.
    """

    def __init__(self, w_ce=1.0, w_sim=3.0, w_kl=0.01, relative=True, l1=False, eps=1e-6,
                 kl_mode="per-bit", kl_k=1, kl_sigma=0.1, kl_m=0, kl_eps=1e-3, seed=1,
                 class_distances=None, embedding_measure="cosine"):
        super().__init__("shrewd", _options(
            loss={"w_ce": w_ce, "w_sim": w_sim, "w_kl": w_kl, "relative": relative, "l1": l1, "eps": eps,
                  "kl_mode": kl_mode, "kl_k": kl_k, "kl_sigma": kl_sigma, "kl_m": kl_m, "kl_eps": kl_eps,
                  "embedding_measure": embedding_measure},
            train={"seed": seed}), class_distances=class_distances)

    def reseed(self, seed):
        self._loss.start_epoch(seed)

    def forward(self, z, labels=None, logits=None, *, embeddings=None, target_distances=None):
        return self._call(z=z, logits=logits, labels=labels, embeddings=embeddings,
                          target_distances=target_distances)


class ClassifierLoss(_HashingLoss):
    """The classifier-only baseline (loss.method = classifier, docs/method.md §7.1):
    CE(logits, labels), the logits of a linear classifier on z. ``forward(logits, labels)``."""

    def __init__(self):
        super().__init__("classifier")

    def forward(self, logits, labels):
        return self._call(logits=logits, labels=labels)


class DpshLoss(_HashingLoss):
    """DPSH (loss.method = dpsh, docs/method.md §7.2) on the hash layer's outputs before tanh,
    eta = 0.1. ``forward(u, labels)``."""

    def __init__(self):
        super().__init__("dpsh")

    def forward(self, u, labels):
        return self._call(u=u, labels=labels)


class HashNetLoss(_HashingLoss):
    """HashNet (loss.method = hashnet, docs/method.md §7.3) on u, with the continuation
    h = tanh(beta(t) u). ``forward(u, labels, step=None)``: t is ``step`` when given, else the
    module's ``step`` counter, which counts the calls made in training mode (from 0, as the
    trainer's global step)."""

    def __init__(self):
        super().__init__("hashnet")
        self.step = 0

    def forward(self, u, labels, step=None):
        loss = self._call(u=u, labels=labels, step=self.step if step is None else step)
        if step is None and self.training:
            self.step += 1
        return loss


class CsqLoss(_HashingLoss):
    """CSQ (loss.method = csq, docs/method.md §7.4): hash centres for ``classes`` classes in
    ``bits`` bits (model.bits; Hadamard rows, or random centres seeded by ``seed``, train.seed).
    ``forward(z, labels)`` with z = tanh(u)."""

    def __init__(self, classes, bits=64, seed=1):
        super().__init__("csq", _options(model={"bits": bits}, train={"seed": seed}), classes)

    def forward(self, z, labels):
        return self._call(z=z, labels=labels)


class GreedyHashLoss(_HashingLoss):
    """GreedyHash (loss.method = greedyhash, docs/method.md §7.5): ``classifier`` (e.g. the
    model's nn.Linear(K, C)) applied to sign(u) with the gradient passed straight through, plus
    0.1 * mean | |u| - 1 |^3. ``forward(u, labels, classifier)``."""

    def __init__(self):
        super().__init__("greedyhash")

    def forward(self, u, labels, classifier):
        if not callable(classifier):
            raise TypeError(f"classifier: expected a callable mapping codes to logits, got {type(classifier).__name__}")
        return self._call(u=u, labels=labels, classify=classifier)
