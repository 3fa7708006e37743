#!/usr/bin/env bash
# The pretrained-backbone recipe of docs/training.md on a small scale: a ResNet-18 state_dict a
# user brings (random weights here: nothing can be downloaded) is exported to TorchScript by
# scripts/export-torchvision-backbone.py, then trained frozen and fine-tuned on a synthetic image
# folder (3 classes, 32x32 PNGs), encoded, indexed, searched and evaluated.
# Usage: torchvision_backbone_test.sh <shrewd> [python]   (exit 77: skipped, no torchvision)
set -u
shrewd=$1
python=${2:-/usr/bin/python3}
repo=$(cd "$(dirname "$0")/../.." && pwd)
"$python" -c "import torchvision, PIL" 2>/dev/null || { echo "skip: $python lacks torchvision or PIL"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/../support/checks.sh"
export OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=1

# The user's weights (a torchvision state_dict, fc included) and an image folder.
"$python" - "$work" <<'PY' || exit 1
import pathlib, sys
import numpy as np, torch, torchvision
from PIL import Image
work = pathlib.Path(sys.argv[1])
torch.manual_seed(1)
torch.save(torchvision.models.resnet18(weights=None).state_dict(), work / "resnet18-user.pth")
rng = np.random.default_rng(0)
for c, name in enumerate(["cat", "dog", "fox"]):
    (work / "images" / name).mkdir(parents=True)
    for i in range(8):
        pixels = rng.integers(0, 60, size=(32, 32, 3)) + 90 * c
        Image.fromarray(pixels.astype(np.uint8)).save(work / "images" / name / f"{i}.png")
PY

"$python" "$repo/scripts/export-torchvision-backbone.py" --arch resnet18 --weights "$work/resnet18-user.pth" \
  --output "$work/resnet18.pt" --image-size 32 > "$work/export.txt" 2>&1
check "the export succeeds" test $? -eq 0
check "the export names the feature size" grep -q "\[B, 512\]" "$work/export.txt"
# The module computes torchvision's features with the user's weights (not random ones of its own).
"$python" - "$work" <<'PY'
import pathlib, sys
import torch, torchvision
work = pathlib.Path(sys.argv[1])
reference = torchvision.models.resnet18(weights=None)
reference.load_state_dict(torch.load(work / "resnet18-user.pth"))
reference.fc = torch.nn.Identity()
reference.eval()
exported = torch.jit.load(str(work / "resnet18.pt"))
x = torch.rand(2, 3, 32, 32)
with torch.no_grad():
    sys.exit(0 if torch.allclose(reference(x), exported(x), atol=1e-5) else 1)
PY
check "the exported module gives the reference features with the user's weights" test $? -eq 0
"$python" "$repo/scripts/export-torchvision-backbone.py" --arch resnet50 --weights "$work/resnet18-user.pth" \
  --output "$work/wrong.pt" > "$work/wrong.txt" 2>&1
check "weights of another architecture are an error" grep -q "does not fit resnet50" "$work/wrong.txt"

echo '{}' > "$work/defaults.json"
train() {  # train NAME SETTINGS...
  local name=$1; shift
  "$shrewd" train --config "$work/defaults.json" --set data.format=image-folder --set data.path="$work/images" --set preprocessing.resize=32 \
    --set preprocessing.crop=centre --set preprocessing.channels=3 --set data.workers=0 --set data.validation_fraction=0 --set model.backbone="$work/resnet18.pt" \
    --set model.bits=16 --set loss.targets=labels --set train.epochs=1 --set train.batch_size=8 --set train.threads=2 \
    --set train.out="$work/$name" "$@" > "$work/$name.txt" 2>&1
}
train frozen --set optim.freeze_backbone=true
check "training with a frozen backbone succeeds" test $? -eq 0 || cat "$work/frozen.txt"
# Only the hash layer (512 x 16 + 16) and the classifier (16 x 3 + 3) train.
check "the frozen run trains only the head" grep -q '"trained_parameters":8259' "$work/frozen/log.jsonl"
check "the start-up summary names the feature size and the frozen backbone" \
  grep -q "(512 features) -> 16 bits, .* 8259 trained, backbone frozen" "$work/frozen.txt"
train tuned --set optim.backbone_lr_multiplier=0.1
check "fine-tuning with a learning-rate multiplier succeeds" test $? -eq 0 || cat "$work/tuned.txt"
check "the fine-tuned run trains the backbone too" grep -q "backbone lr x 0.1" "$work/tuned.txt"
train tuned --set optim.backbone_lr_multiplier=0.1
check "a second run into the same directory is refused" grep -q "already holds a run" "$work/tuned.txt"

# Codes, index, search and evaluation from the fine-tuned model.
"$shrewd" encode --model "$work/tuned/model.pt" --data image-folder --path "$work/images" \
  --out "$work/codes.npy" --labels "$work/labels.npy" > "$work/encode.txt" 2>&1
check "encode writes 24 codes" grep -q "24 codes of 16 bits" "$work/encode.txt"
"$shrewd" index build --codes "$work/codes.npy" --out "$work/db.shx" > /dev/null 2>&1
check "the codes index" test -s "$work/db.shx"
"$shrewd" search --index "$work/db.shx" --queries "$work/codes.npy" -k 5 --out "$work/result" > /dev/null 2>&1
check "the index answers queries" test $? -eq 0
"$shrewd" eval --query-codes "$work/codes.npy" --query-labels "$work/labels.npy" --db-codes "$work/codes.npy" \
  --db-labels "$work/labels.npy" --json "$work/eval.json" > "$work/eval.txt" 2>&1
check "eval writes its figures" grep -q '"map"' "$work/eval.json"

[ "$failures" -eq 0 ] || { echo "$failures check(s) failed"; exit 1; }
echo "all checks passed"
