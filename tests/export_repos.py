"""A model zoo stand-in of our own writing for the export route and for zoo code written against
MindSpore 1.x and numpy < 1.24: directories with an ``export.py`` (argparse style, YAML-config style,
two exports, a data file, a device that is not ours) and hub confs that need arguments or removed names."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO
from zoo_repos import build_repos, stand_in_card

NET = '''
import mindspore.nn as nn


class TinyNet(nn.Cell):
    def __init__(self, num_classes=5, width=4):
        super().__init__()
        self.conv = nn.Conv2d(3, width, 3)
        self.fc = nn.Dense(width, num_classes)

    def construct(self, x):
        return self.fc(self.conv(x).mean(axis=(2, 3)))
'''
ARGPARSE_EXPORT = '''
import argparse
import os

import numpy as np
import mindspore as ms
from mindspore import Tensor, context, export, load_checkpoint, load_param_into_net

from src.net import TinyNet

parser = argparse.ArgumentParser(description="export")
parser.add_argument("--device_target", default="Ascend", choices=["Ascend", "GPU", "CPU"])
parser.add_argument("--ckpt_file", type=str, required=True)
parser.add_argument("--data_url", type=str, required=True)
parser.add_argument("--file_name", default="tinynet")
parser.add_argument("--file_format", default="AIR", choices=["AIR", "MINDIR"])
parser.add_argument("--num_classes", type=int, default=5)
args = parser.parse_args()

print("export.py of exportargs is running")
context.set_context(mode=context.GRAPH_MODE, device_target="Ascend", device_id=int(os.getenv("DEVICE_ID")))
net = TinyNet(num_classes=args.num_classes)
load_param_into_net(net, load_checkpoint(args.ckpt_file))
net.seen_options = (args.device_target, args.file_format, args.ckpt_file is not None)
export(net, Tensor(np.ones([2, 3, 8, 8]), ms.float32), file_name=args.file_name, file_format=args.file_format)
'''
CONFIG = '''
"""Options from a YAML file of defaults, each overridable on the command line (the zoo's style)."""
import argparse
import ast
import os

import yaml


class Config:
    def __init__(self, values):
        for key, value in values.items():
            setattr(self, key, value)


def get_config():
    here = os.path.dirname(os.path.abspath(__file__))
    first = argparse.ArgumentParser(add_help=False)
    first.add_argument("--config_path", default=os.path.join(here, "..", "default_config.yaml"))
    path_args, _ = first.parse_known_args()
    with open(path_args.config_path) as f:
        defaults = yaml.safe_load(f)
    parser = argparse.ArgumentParser(parents=[first])
    for key, value in defaults.items():
        kind = ast.literal_eval if isinstance(value, bool) else type(value)
        parser.add_argument("--" + key, type=kind, default=value)
    values = dict(defaults)
    values.update(vars(parser.parse_args()))
    print("config:", values)
    return Config(values)


config = get_config()
'''
YAML_CONFIG = "num_classes: 3\nwidth: 6\nbatch_size: 1\nfile_format: AIR\nckpt_file: ''\nenable_fast: false\n"
YAML_EXPORT = '''
import numpy as np
import mindspore as ms
from mindspore import Tensor
from mindspore.train.serialization import export, load_checkpoint

from model_utils.config import config
from src.net import TinyNet


def run_export():
    net = TinyNet(num_classes=config.num_classes, width=config.width)
    load_checkpoint(config.ckpt_file)
    x = Tensor(np.zeros([config.batch_size, 3, 8, 8]), ms.float32)
    ms.export(net, x, file_name="tiny", file_format=config.file_format)


if __name__ == "__main__":
    run_export()
'''
TWO_EXPORTS = '''
import numpy as np
import mindspore as ms
import mindspore.nn as nn
from mindspore import Tensor, export


class Scaler(nn.Cell):
    def __init__(self):
        super().__init__()
        self.dense = nn.Dense(4, 4)

    def construct(self, x):
        return self.dense(x) * 2


if __name__ == "__main__":
    export(Scaler(), Tensor(np.ones([1, 4]), ms.float32), file_name="a", file_format="MINDIR")
    export(nn.Dense(4, 2), Tensor(np.ones([1, 4]), ms.float32), file_name="b", file_format="MINDIR")
    raise RuntimeError("a later step of the script failed")
'''
DATA_FILE_EXPORT = '''
with open("data/vocab.txt") as f:
    VOCAB = f.read().split()
'''
NEEDS_ARGS_CONF = '''
from src.net import TinyNet


def create_network(name, *args, **kwargs):
    return TinyNet(num_classes=kwargs["num_classes"])
'''
NEEDS_ARGS_EXPORT = '''
import numpy as np
import mindspore as ms
from mindspore import Tensor, export
from src.net import TinyNet

if __name__ == "__main__":
    export(TinyNet(num_classes=9), Tensor(np.ones([1, 3, 8, 8]), ms.float32), file_name="n", file_format="MINDIR")
'''
COMPAT_CONF = '''
import numpy as np
import mindspore as ms
import mindspore.nn as nn
from mindspore import Tensor, ms_function
from mindspore._checkparam import Rel, Validator
from mindspore.common.initializer import initializer
from mindspore.dataset.vision.c_transforms import HWC2CHW
from mindspore.profiler.profiling import Profiler  # 1.x's module of it, imported beside a network that never uses it
from mindspore.ops import operations as P
import mindspore.dataset.transforms as C2

TO_CHW = HWC2CHW()
TO_INT = C2.c_transforms.TypeCast(ms.int32)  # a 1.x submodule reached as an attribute
MASK_DTYPE = np.bool
INDEX_DTYPE = np.int


@ms_function
def double(x):
    return x * 2


class OldNet(nn.Cell):
    def __init__(self, vocab=10):
        super().__init__()
        Validator.check_int(vocab, 1, Rel.GE, "vocab", "OldNet")
        self.embed = nn.EmbeddingLookup(vocab, 4, vocab_cache_size=0)
        self.up = nn.ResizeBilinear()
        self.down = P.ResizeBilinear((2, 2))
        self.table = initializer("ones", [2, 2], ms.float32).to_tensor()
        self.blocks = P.ScalarCast()(2.9, ms.int32)  # 1.x gave int(2.9), 2.10 refuses int32
        self.keep = P.ScalarCast()(0.75, ms.float16)
        self.wide = P.ScalarCast()(3.5, ms.int64)  # a type 2.10 takes: as it casts today

    def construct(self, x):
        return self.down(self.up(x, scale_factor=2))


def create_network(name, *args, **kwargs):
    return OldNet(*args, **kwargs)
'''
NARROW_HEAD_CONF = '''
from src.net import TinyNet


def create_network(name, *args, **kwargs):
    number = kwargs.get("num_classes", "10")  # a default of the code, not of the checkpoint
    if kwargs.get("include_top", True):
        return TinyNet(num_classes=int(number))
    return TinyNet(num_classes=int(number)).conv
'''
WIDE_HEAD_CONF = '''
from src.net import TinyNet


def wide_net(class_num=20):
    return TinyNet(num_classes=class_num)


def create_network(name, *args, **kwargs):
    return wide_net(*args, **kwargs)
'''
# ``hub loadable --run``: an export with inputs its network cannot take, a network calling the 1.x
# GatherV2 (three inputs) when it runs, one that takes longer than any time limit, and a hub conf beside
# an export.py of the same network
WRONG_INPUTS_EXPORT = '''
import numpy as np
import mindspore as ms
from mindspore import Tensor, export
from src.net import TinyNet

if __name__ == "__main__":
    export(TinyNet(), Tensor(np.ones([1, 5, 8, 8]), ms.float32), file_name="w", file_format="MINDIR")
'''
GATHER_EXPORT = '''
import numpy as np
import mindspore as ms
import mindspore.nn as nn
from mindspore import Parameter, Tensor, export
from mindspore.ops import operations as P


class Lookup(nn.Cell):
    def __init__(self):
        super().__init__()
        self.table = Parameter(Tensor(np.arange(12).reshape(4, 3), ms.float32), name="table")
        self.gather = P.GatherV2()

    def construct(self, ids):
        return self.gather(self.table, ids, 0)


if __name__ == "__main__":
    export(Lookup(), Tensor(np.array([[3, 0]]), ms.int32), file_name="g", file_format="MINDIR")
'''
DIVIDE_EXPORT = '''
import numpy as np
import mindspore as ms
import mindspore.nn as nn
from mindspore import Tensor, export
from mindspore.ops import operations as P


class Grouped(nn.Cell):
    """Written for 1.x graphs: / of two ints is an int there, Cast(None) is never computed in inference."""

    def __init__(self):
        super().__init__()
        self.groups = nn.CellList([nn.Dense(4, 4), nn.Dense(4, 4)])
        self.layers = 4
        self.cast = P.Cast()
        self.scalar = P.ScalarToArray()

    def construct(self, x, labels=None):
        for i in range(self.layers):
            x = self.groups[i / self.layers * 2](x)  # 1.x: (i // 4) * 2, group 0 for every layer
        labels = self.cast(labels, ms.int32)
        half = x.shape[1]
        half /= 2
        return P.Reshape()(x, (x.shape[0] * 2, half)) * self.scalar(3)


if __name__ == "__main__":
    export(Grouped(), Tensor(np.ones([2, 4]), ms.float32), file_name="d", file_format="MINDIR")
'''
SLOW_EXPORT = '''
import time

import numpy as np
import mindspore as ms
import mindspore.nn as nn
from mindspore import Tensor, export


class Slow(nn.Cell):
    def construct(self, x):
        time.sleep(600)
        return x


if __name__ == "__main__":
    export(Slow(), Tensor(np.ones([1, 2]), ms.float32), file_name="slow", file_format="MINDIR")
'''
SAME_NET_CONF = '''
from src.net import TinyNet


def create_network(name, *args, **kwargs):
    return TinyNet(*args, **kwargs)
'''
SAME_NET_EXPORT = '''
import numpy as np
import mindspore as ms
from mindspore import Tensor, export
from src.net import TinyNet

if __name__ == "__main__":
    export(TinyNet(), Tensor(np.ones([1, 3, 8, 8]), ms.float32), file_name="s", file_format="MINDIR")
'''
HEAD_NET_CONF = SAME_NET_CONF.replace("TinyNet(*args, **kwargs)", "TinyNet(*args, **{'num_classes': 7, **kwargs})")
EXTRA_CONF = "import easydict\n\n\ndef create_network(name, *args, **kwargs):\n    return None\n"

# skipgram's and textcnn's hub confs: the network's sizes are arguments (their training reads them from the
# data); a sequence length shapes no parameter
SIZED_NET = """
from mindspore import nn


class SkipGram(nn.Cell):
    def __init__(self, vocab_size, emb_dimension, seq_len):
        super().__init__()
        self.seq_len = seq_len
        self.u_embeddings = nn.Embedding(vocab_size, emb_dimension)
        self.fc = nn.Dense(emb_dimension, 2)

    def construct(self, ids):
        return self.fc(self.u_embeddings(ids).mean(1))
"""
SIZED_CONF = """
from src.skipgram import SkipGram


def create_network(name, *args, **kwargs):
    return SkipGram(*args, **kwargs)
"""
BASE = "official/cv/"
DIRS = {
    "exportargs": {"export.py": ARGPARSE_EXPORT, "src/net.py": NET},
    "exportyaml": {"export.py": YAML_EXPORT, "src/net.py": NET, "model_utils/__init__.py": "",
                   "model_utils/config.py": CONFIG, "default_config.yaml": YAML_CONFIG},
    "exporttwo": {"export.py": TWO_EXPORTS},
    "exportdata": {"export.py": DATA_FILE_EXPORT},
    "needsargs": {"mindspore_hub_conf.py": NEEDS_ARGS_CONF, "export.py": NEEDS_ARGS_EXPORT, "src/net.py": NET},
    "keyarg": {"mindspore_hub_conf.py": NEEDS_ARGS_CONF, "src/net.py": NET},
    "oldnames": {"mindspore_hub_conf.py": COMPAT_CONF},
    "needsextra": {"mindspore_hub_conf.py": EXTRA_CONF},
    "narrowhead": {"mindspore_hub_conf.py": NARROW_HEAD_CONF, "src/net.py": NET},
    "widehead": {"mindspore_hub_conf.py": WIDE_HEAD_CONF, "src/net.py": NET},
    "wronginputs": {"export.py": WRONG_INPUTS_EXPORT, "src/net.py": NET},
    "oldgather": {"export.py": GATHER_EXPORT},
    "slownet": {"export.py": SLOW_EXPORT},
    "olddivide": {"export.py": DIVIDE_EXPORT},
    "samenet": {"mindspore_hub_conf.py": SAME_NET_CONF, "export.py": SAME_NET_EXPORT, "src/net.py": NET},
    "headnet": {"mindspore_hub_conf.py": HEAD_NET_CONF, "export.py": SAME_NET_EXPORT, "src/net.py": NET},
    "sized": {"mindspore_hub_conf.py": SIZED_CONF, "src/skipgram.py": SIZED_NET},
}
# a hub conf's bare network asks for ground truth and a shape; the export script exports the zoo's inference
# wrapper, which passes None for the one and its own attribute for the other
GT_NET = NET + '''

class BoxNet(nn.Cell):
    def __init__(self):
        super().__init__()
        self.body = TinyNet()

    def construct(self, x, gt_boxes, image_shape):
        if self.training:
            return gt_boxes
        return self.body(x) / image_shape[0]


class BoxNetInfer(nn.Cell):
    def __init__(self):
        super().__init__()
        self.network = BoxNet()
        self.image_shape = [8, 8]

    def construct(self, x):
        return self.network(x, None, self.image_shape)
'''
GT_NET_CONF = '''
from src.net import BoxNet


def create_network(name, *args, **kwargs):
    return BoxNet()
'''
GT_NET_EXPORT = '''
import numpy as np
import mindspore as ms
from mindspore import Tensor, export
from src.net import BoxNetInfer

if __name__ == "__main__":
    export(BoxNetInfer(), Tensor(np.ones([1, 3, 8, 8]), ms.float32), file_name="b", file_format="MINDIR")
'''
# token ids past the table's rows, as gru's export.py draws them; and an entry of the checkpoint read by name
VOCAB_EXPORT = '''
import numpy as np
import mindspore as ms
import mindspore.nn as nn
from mindspore import Tensor, export, load_checkpoint


class Lookup(nn.Cell):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(10, 4)

    def construct(self, ids):
        return self.embedding(ids).sum(axis=1)


if __name__ == "__main__":
    net = Lookup()
    table = load_checkpoint("/nowhere/lookup.ckpt")["embedding.embedding_table"]  # transformer's export does so
    assert tuple(table.shape) == (10, 4)
    ids = Tensor(np.random.default_rng(0).integers(0, 1000, size=[2, 5]).astype(np.int32))
    export(net, ids, file_name="v", file_format="MINDIR")
'''
# a forward pass whose time grows with the batch: the export script's batch of 8 takes 8 s, its first sample 1 s
BATCH_EXPORT = '''
import time

import numpy as np
import mindspore as ms
import mindspore.nn as nn
from mindspore import Tensor, export


class PerSample(nn.Cell):
    def construct(self, x, ids):
        time.sleep(x.shape[0])
        return x * 2


if __name__ == "__main__":
    export(PerSample(), Tensor(np.ones([8, 2]), ms.float32), Tensor(np.zeros([8]), ms.int32), file_name="b",
           file_format="MINDIR")
'''
# float16 inputs, as MMoE's export feeds its Ascend network, into a float32 layer: CPU refuses to mix the two
HALF_EXPORT = '''
import numpy as np
import mindspore as ms
import mindspore.nn as nn
from mindspore import Tensor, export

if __name__ == "__main__":
    export(nn.Dense(6, 2), Tensor(np.ones([1, 6]), ms.float16), file_name="h", file_format="MINDIR")
'''
# a hub conf's bare encoder; the export script builds a task's model around it, which its default
# (pretraining) config does not name, as BERT's does
TASK_NET = NET + '''

class Encoder(nn.Cell):
    def __init__(self):
        super().__init__()
        self.dense = nn.Dense(6, 4)

    def construct(self, x, mask):
        return self.dense(x * mask)


class ClsModel(nn.Cell):
    def __init__(self):
        super().__init__()
        self.encoder = Encoder()
        self.head = nn.Dense(4, 2)

    def construct(self, x, mask):
        return self.head(self.encoder(x, mask))
'''
TASK_CONF = '''
from src.net import Encoder


def create_network(name, *args, **kwargs):
    return Encoder()
'''
TASK_EXPORT = '''
import argparse

import numpy as np
import yaml
import mindspore as ms
from mindspore import Tensor, export
from src.net import ClsModel

parser = argparse.ArgumentParser()
parser.add_argument("--config_path", default="pretrain_config.yaml")
args = parser.parse_args()
with open(args.config_path) as f:
    description = yaml.safe_load(f)["description"]
if description != "run_classifier":
    raise ValueError("unsupported downstream task")
export(ClsModel(), Tensor(np.ones([1, 6]), ms.float32), Tensor(np.ones([1, 6]), ms.float32), file_name="c",
       file_format="MINDIR")
'''
# in the zoo stand-in but not in the hub's catalog: a test that wants one writes its card itself
UNCATALOGUED = {
    "crashnet": {"export.py": "import faulthandler\n\nfaulthandler._sigsegv()  # dies below Python\n"},
    "gtnet": {"mindspore_hub_conf.py": GT_NET_CONF, "export.py": GT_NET_EXPORT, "src/net.py": GT_NET},
    "vocabnet": {"export.py": VOCAB_EXPORT},
    "batchnet": {"export.py": BATCH_EXPORT},
    "halfnet": {"export.py": HALF_EXPORT},
    "tasknet": {"mindspore_hub_conf.py": TASK_CONF, "export.py": TASK_EXPORT, "src/net.py": TASK_NET,
                "pretrain_config.yaml": "description: run_pretrain\n",
                "task_classifier_config.yaml": "description: run_classifier\n"},
}
RELEASE = "r1.9"


def export_card(directory: str) -> str:
    return stand_in_card(directory, RELEASE, BASE + directory, f"{directory}.ckpt")


def uid_of(directory: str) -> str:
    return f"mindspore/1.9/{directory}_x"


def make_export_repos(root: Path) -> Path:
    files = {BASE + d + "/" + rel: text for d, tree in {**DIRS, **UNCATALOGUED}.items() for rel, text in tree.items()}
    catalog = {f"mshub_res/assets/{uid_of(d)}.md": export_card(d) for d in DIRS}
    return build_repos(root, {RELEASE: {"README.md": "zoo stand-in\n", **files}}, catalog)


def use_repos(git_config: Path, monkeypatch, cwd: Path) -> dict:
    """Point git (here and in child processes) at the stand-ins and sync the hub's catalog from them;
    returns the environment for ``python -m hub`` children."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(git_config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    synced = subprocess.run([sys.executable, "-m", "hub", "sync"], env=env, cwd=cwd, capture_output=True, text=True,
                            timeout=120)
    assert synced.returncode == 0, synced.stderr
    return env
