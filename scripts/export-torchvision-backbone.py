#!/usr/bin/python3
"""Exports torchvision's ResNet-18 or ResNet-50 as a TorchScript backbone for shrewd
(model.backbone = the written .pt file; docs/training.md, "A pretrained backbone").

The classifier (fc) is replaced by the identity, so the module maps [B, 3, H, W] images to
[B, 512] (ResNet-18) or [B, 2048] (ResNet-50) features; shrewd finds that size by running the
module. Weights come from the user (--weights: a state_dict saved with torch.save, as torchvision
publishes them, or a checkpoint holding one under 'state_dict' or 'model'); nothing is downloaded.
Without --weights the weights are random (tests).

    /usr/bin/python3 scripts/export-torchvision-backbone.py --arch resnet50 \\
        --weights resnet50-11ad3fa6.pth --output resnet50.pt

Needs Debian's python3-torch and python3-torchvision (scripts/install-deps.sh).
"""
import argparse
import sys

import torch
import torchvision

ARCHS = {"resnet18": torchvision.models.resnet18, "resnet50": torchvision.models.resnet50}


def fail(message):
    sys.exit(f"export-torchvision-backbone: error: {message}")


def read_state_dict(path):
    try:
        state = torch.load(path, map_location="cpu")
    except Exception as error:  # torch.load raises many kinds for a file that is not a checkpoint
        fail(f"{path}: not a PyTorch weights file ({error})")
    for key in ("state_dict", "model"):
        if isinstance(state, dict) and isinstance(state.get(key), dict):
            state = state[key]
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        fail(f"{path}: expected a state_dict (parameter name -> tensor)")
    # Checkpoints of DataParallel runs prefix every name with 'module.'; the classifier is dropped.
    state = {k[len("module."):] if k.startswith("module.") else k: v for k, v in state.items()}
    return {k: v for k, v in state.items() if not k.startswith("fc.")}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--arch", required=True, choices=sorted(ARCHS))
    parser.add_argument("--weights", help="state_dict .pth the user brings (default: random weights)")
    parser.add_argument("--output", required=True, help="TorchScript file to write")
    parser.add_argument("--image-size", type=int, default=224, help="size of the check forward pass")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random weights")
    args = parser.parse_args()
    if args.image_size < 32:
        fail(f"--image-size must be at least 32 (a ResNet halves the image 5 times), got {args.image_size}")

    torch.manual_seed(args.seed)
    model = ARCHS[args.arch](weights=None)
    model.fc = torch.nn.Identity()
    if args.weights:
        try:
            missing, unexpected = model.load_state_dict(read_state_dict(args.weights), strict=False)
        except RuntimeError as error:  # tensors of other shapes
            fail(f"{args.weights} does not fit {args.arch}: {str(error).splitlines()[-1].strip()}")
        if missing or unexpected:
            fail(f"{args.weights} does not fit {args.arch}: missing {missing[:5]}, unexpected {unexpected[:5]}")
    model.eval()
    scripted = torch.jit.script(model)
    with torch.no_grad():
        features = scripted(torch.zeros(2, 3, args.image_size, args.image_size))
    scripted.save(args.output)
    weights = args.weights or f"random (seed {args.seed})"
    print(f"{args.output}: {args.arch}, weights {weights}, [B, 3, H, W] -> [B, {features.shape[1]}]")


if __name__ == "__main__":
    main()
