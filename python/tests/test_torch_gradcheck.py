"""torch.autograd.gradcheck in float64 for every loss of shrewd.torch: the gradients that flow
back through the C++ functions are the derivatives of the values they return."""
import pytest

torch = pytest.importorskip("torch")
shrewd_torch = pytest.importorskip("shrewd.torch")
F = torch.nn.functional

N, BITS, CLASSES = 6, 8, 4


def outputs(seed=0, scale=1.0):
    generator = torch.Generator().manual_seed(seed)
    return (scale * torch.randn(N, BITS, generator=generator, dtype=torch.float64)).requires_grad_(True)


LABELS = torch.tensor([0, 1, 1, 2, 3, 0])
CLASS_DISTANCES = torch.tensor([[0.0, 0.5, 1.0, 1.0], [0.5, 0.0, 1.0, 1.0],
                                [1.0, 1.0, 0.0, 0.5], [1.0, 1.0, 0.5, 0.0]], dtype=torch.float64)


def check(function, *inputs):
    assert torch.autograd.gradcheck(function, inputs, eps=1e-6, atol=1e-5, rtol=1e-4)


@pytest.mark.parametrize("relative,l1", [(True, False), (False, False), (True, True)])
def test_similarity_loss(relative, l1):
    loss = shrewd_torch.SimilarityLoss(relative=relative, l1=l1, class_distances=CLASS_DISTANCES)
    check(lambda u: loss(torch.tanh(u), LABELS), outputs())


def test_similarity_loss_on_embeddings():
    embeddings = torch.randn(N, 5, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    loss = shrewd_torch.SimilarityLoss(embedding_measure="angular")
    check(lambda u: loss(torch.tanh(u), embeddings=embeddings), outputs())


@pytest.mark.parametrize("mode,k", [("per-bit", 1), ("per-bit", 2), ("joint", 1), ("joint", 3)])
def test_kl_divergence(mode, k):
    kl = shrewd_torch.KLDivergence(kl_mode=mode, kl_k=k)

    def same_targets(u):  # the same target samples at every evaluation
        kl.reseed(11)
        return kl(torch.tanh(u))

    check(same_targets, outputs())


def test_total_loss():
    loss = shrewd_torch.TotalLoss(w_kl=0.5, class_distances=CLASS_DISTANCES)
    weight = torch.randn(CLASSES, BITS, dtype=torch.float64, generator=torch.Generator().manual_seed(2))

    def total(u, weight):
        loss.reseed(3)
        z = torch.tanh(u)
        return loss(z, LABELS, z @ weight.t())

    check(total, outputs(), weight.requires_grad_(True))


def test_classifier_loss():
    logits = torch.randn(N, CLASSES, dtype=torch.float64, requires_grad=True)
    check(lambda logits: shrewd_torch.ClassifierLoss()(logits, LABELS), logits)


def test_dpsh_loss():
    check(lambda u: shrewd_torch.DpshLoss()(u, LABELS), outputs(scale=2.0))


@pytest.mark.parametrize("step", [0, 1000])
def test_hashnet_loss(step):
    check(lambda u: shrewd_torch.HashNetLoss()(u, LABELS, step=step), outputs())


def test_csq_loss():
    loss = shrewd_torch.CsqLoss(CLASSES, bits=BITS)
    check(lambda u: loss(torch.tanh(u), LABELS), outputs())


def test_greedyhash_loss():
    # The codes are sign(u) with the gradient passed straight through (docs/method.md §7.5), which
    # is no derivative: gradcheck covers the classifier's weights and the penalty's gradient in u,
    # and the u-gradient of the CE term is checked to be d CE / d b.
    loss = shrewd_torch.GreedyHashLoss()
    u = outputs(scale=2.0)
    weight = torch.randn(CLASSES, BITS, dtype=torch.float64, requires_grad=True,
                         generator=torch.Generator().manual_seed(4))
    check(lambda weight: loss(u.detach(), LABELS, lambda b: b @ weight.t()), weight)

    total = loss(u, LABELS, lambda b: b @ weight.t())
    (grad_u,) = torch.autograd.grad(total, u)
    b = torch.where(u >= 0, torch.ones_like(u), -torch.ones_like(u)).detach().requires_grad_(True)
    expected = torch.autograd.grad(F.cross_entropy(b @ weight.t(), LABELS), b)[0]
    penalty = u.detach().clone().requires_grad_(True)
    expected += torch.autograd.grad(0.1 * ((penalty.abs() - 1).abs() ** 3).mean(), penalty)[0]
    torch.testing.assert_close(grad_u, expected)
