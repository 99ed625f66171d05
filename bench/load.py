"""Warm ``mshub.load`` (card, cached verified checkpoint, strict load) vs. the floor: building the network
plus ``load_checkpoint`` + ``load_param_into_net`` of the same file, measured in the same run."""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROUNDS = 5


def main() -> int:
    import mindspore as ms

    import hub
    import mindspore_hub as mshub
    from hub import hubconf
    from hub.demo import DEMO_UID, mirror_environment, stage
    from hub.fetch import Mirror

    os.environ["MSHUB_QUIET"] = "1"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        stage(tmp)
        with Mirror(tmp / "mirror") as mirror, mirror_environment(tmp, mirror):
            cached = Path(hub.download(DEMO_UID))  # warm the cache
            hub_runs, floor_runs = [], []
            for _ in range(ROUNDS):  # interleaved so both see the same page cache and machine state
                t = time.perf_counter()
                net = hubconf.ssdresnet50fpn_coco2017()
                ms.load_param_into_net(net, ms.load_checkpoint(str(cached)))
                floor_runs.append(time.perf_counter() - t)
                t = time.perf_counter()
                net = mshub.load(DEMO_UID)
                hub_runs.append(time.perf_counter() - t)
    hub_s, floor_s = statistics.median(hub_runs), statistics.median(floor_runs)
    ratio = hub_s / floor_s
    print(f"floor (build + load_checkpoint + load_param_into_net): {floor_s:.3f} s (median of {ROUNDS})")
    print(f"warm mshub.load (card, verified cache, strict load):   {hub_s:.3f} s")
    print(f"ratio: {ratio:.3f}x  target <= 1.1x: {'PASS' if ratio <= 1.1 else 'FAIL'}")
    return 0 if ratio <= 1.1 else 1


if __name__ == "__main__":
    sys.exit(main())
