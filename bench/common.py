"""What several benchmarks share: a one-asset card template and the child processes' peak-memory probe."""
from __future__ import annotations

CARD = """# bench
---
backbone-name: bench
module-type: cv
fine-tunable: True
model-version: 1.7
author: bench
update-time: 2026-11-24
repo-link: <https://gitee.com/mindspore/models/tree/r1.7/official/cv/ssd>
user-id: bench
used-for: inference
mindspore-version: 1.7
asset:
-
    file-format: ckpt
    asset-link: <https://download.mindspore.cn/{path}>
    asset-sha256: {sha}
license: Apache2.0
summary: benchmark file
---
"""

# Source for a child script: hwm() is the process's peak resident memory in bytes (VmHWM).
HWM = r"""
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) * 1024
"""
