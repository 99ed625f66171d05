"""From an image to a prediction, against the same work written by hand, measured in the same run:

1. ``hub.preprocess(uid)(image)`` (a warm preprocessing: the card's eval pipeline already read) vs. the same
   MindSpore transforms applied directly to the same file's bytes (Decode, Resize, CenterCrop, Normalize,
   HWC2CHW), in one process, interleaved;
2. ``python -m hub predict UID IMAGE --json`` on a warm cache vs. a script written by hand that loads the same
   card (``mshub.load``), applies the same transforms and runs the forward pass, each a fresh process, in turn.

The card is a model zoo stand-in of the test suite (``tests/vision_repos.py``: an ImageNet-style eval pipeline,
an export script) reached through git's ``insteadOf``, its checkpoint served by a local mirror.

    python -m bench.inference [--rounds 200] [--processes 5]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STEM = "resnet50_imagenet2012"
BY_HAND = r"""
import sys
import numpy as np
import mindspore as ms
import mindspore.dataset.vision as vision
import mindspore_hub as mshub

uid, image = sys.argv[1], sys.argv[2]
net = mshub.load(uid)
mean, std = [0.485 * 255, 0.456 * 255, 0.406 * 255], [0.229 * 255, 0.224 * 255, 0.225 * 255]
x = np.frombuffer(open(image, "rb").read(), np.uint8)
for op in (vision.Decode(), vision.Resize(64), vision.CenterCrop(56), vision.Normalize(mean, std), vision.HWC2CHW()):
    x = op(x)
scores = net(ms.Tensor(x[None])).asnumpy()[0]
print(int(scores.argmax()))
"""


def transforms():
    from mindspore.dataset import vision

    mean, std = [0.485 * 255, 0.456 * 255, 0.406 * 255], [0.229 * 255, 0.224 * 255, 0.225 * 255]
    return [vision.Decode(), vision.Resize(64), vision.CenterCrop(56), vision.Normalize(mean, std), vision.HWC2CHW()]


def stage(root: Path) -> dict:
    """The stand-in zoo and hub behind a private git config, the catalog synced, and the card's checkpoint on a
    local mirror: the environment for this process and its children."""
    sys.path.insert(0, str(REPO / "tests"))
    from vision_repos import make_vision_repos, uid, vision_card

    config = make_vision_repos(root / "repos")
    env = {"GIT_CONFIG_GLOBAL": str(config), "GIT_CONFIG_NOSYSTEM": "1", "MSHUB_HOME": str(root / "cache"),
           "MSHUB_QUIET": "1", "ONEDNN_MAX_CPU_ISA": os.environ.get("ONEDNN_MAX_CPU_ISA", "AVX2")}
    os.environ.update(env)
    subprocess.run([sys.executable, "-m", "hub", "sync"], check=True, capture_output=True, cwd=root,
                   env={**os.environ, "PYTHONPATH": str(REPO)})
    import mindspore as ms

    import hub

    net = hub.load(uid(STEM), pretrained=False)
    ms.save_checkpoint(net, str(root / "net.ckpt"))
    data = (root / "net.ckpt").read_bytes()
    served = root / "served" / "models" / "r1.10"
    served.mkdir(parents=True)
    (served / f"{STEM}.ckpt").write_bytes(data)
    card = root / "catalog" / "mindspore" / "1.10" / f"{STEM}.md"
    card.parent.mkdir(parents=True)
    card.write_text(vision_card(STEM, hashlib.sha256(data).hexdigest()))
    env["MSHUB_CATALOG"] = str(root / "catalog")
    os.environ.update(env)
    return env


def preprocessing(uid: str, image: str, rounds: int) -> tuple[float, float]:
    import numpy as np

    import hub

    pre = hub.preprocess(uid)
    ops = transforms()

    def by_hand():
        x = np.frombuffer(Path(image).read_bytes(), np.uint8)
        for op in ops:
            x = op(x)
        return x

    assert np.array_equal(pre(image), by_hand())  # the same work, to the element
    hub_runs, hand_runs = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        by_hand()
        hand_runs.append(time.perf_counter() - start)
        start = time.perf_counter()
        pre(image)
        hub_runs.append(time.perf_counter() - start)
    return statistics.median(hub_runs), statistics.median(hand_runs)


def predict(uid: str, image: str, processes: int, env: dict) -> tuple[float, float]:
    child_env = {**os.environ, **env, "PYTHONPATH": str(REPO)}

    def timed(command: list[str]) -> float:
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=child_env, cwd=tempfile.gettempdir())
        if done.returncode != 0:
            raise SystemExit(done.stderr[-2000:])
        return time.perf_counter() - start

    hub_command = [sys.executable, "-m", "hub", "predict", uid, image, "--json"]
    hand_command = [sys.executable, "-c", BY_HAND, uid, image]
    timed(hub_command)  # warm: the checkpoint and the code in the cache
    hub_runs, hand_runs = [], []
    for _ in range(processes):
        hand_runs.append(timed(hand_command))
        hub_runs.append(timed(hub_command))
    return statistics.median(hub_runs), statistics.median(hand_runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--processes", type=int, default=5)
    args = parser.parse_args()
    from hub.fetch import Mirror
    from hub.inference.inputs import photo_path

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = stage(root)
        from vision_repos import uid

        card = uid(STEM)
        image = photo_path()
        with Mirror(root / "served") as mirror:
            env["MSHUB_ENDPOINT"] = mirror.url
            os.environ["MSHUB_ENDPOINT"] = mirror.url
            hub_s, hand_s = preprocessing(card, image, args.rounds)
            print(json.dumps({"preprocess_one_image": {"hub_ms": round(hub_s * 1e3, 3),
                                                       "by_hand_ms": round(hand_s * 1e3, 3),
                                                       "ratio": round(hub_s / hand_s, 3), "target": "<= 1.1"}}))
            hub_s, hand_s = predict(card, image, args.processes, env)
            print(json.dumps({"predict_one_image_warm": {"hub_s": round(hub_s, 3), "by_hand_s": round(hand_s, 3),
                                                         "ratio": round(hub_s / hand_s, 3), "target": "<= 1.1"}}))


if __name__ == "__main__":
    main()
