"""The eval route: a zoo directory with only an ``eval.py`` gives the network that script loads its
checkpoint into, the script stopped there; datasets from paths that are not here do not stop it first.
The zoo stand-ins are of our own writing."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import REPO
from export_repos import NET, export_card
from zoo_repos import build_repos, stand_in_card

RELEASE = "r1.9"
BASE = "official/cv/"
# argparse with required options and another device; a dataset from a path that is not here, mapped,
# batched and sized before the network; the network handed to load_param_into_net, then to Model.
EVAL_PARAMS = '''
import argparse
import os

import mindspore.dataset as ds
import mindspore.dataset.vision as vision
from mindspore import Model, context, load_checkpoint, load_param_into_net

from src.net import TinyNet

parser = argparse.ArgumentParser(description="eval")
parser.add_argument("--device_target", default="Ascend", choices=["Ascend", "GPU", "CPU"])
parser.add_argument("--checkpoint_path", type=str, required=True)
parser.add_argument("--data_path", type=str, required=True)
parser.add_argument("--num_classes", type=int, default=5)
args = parser.parse_args()


def create_dataset(path):
    data = ds.ImageFolderDataset(path, shuffle=False)
    data = data.map(operations=[vision.Decode(), vision.Resize((8, 8)), vision.Rescale(1 / 255, 0), vision.HWC2CHW()],
                    input_columns="image")
    return data.batch(2, drop_remainder=True)


if __name__ == "__main__":
    print("eval.py of evalparams is running")
    context.set_context(mode=context.GRAPH_MODE, device_target=args.device_target)
    dataset = create_dataset(os.path.join("/nonexistent", "imagenet", "val"))
    steps = dataset.get_dataset_size()
    net = TinyNet(num_classes=args.num_classes)
    try:
        load_param_into_net(net, load_checkpoint(args.checkpoint_path))
    except Exception:
        print("a script's own error handling must not swallow the hand-over")
    model = Model(net)
    print("accuracy:", model.eval(dataset))
    raise SystemExit("the evaluation ran: the eval route did not stop the script")
'''
# the network handed over by load_checkpoint(..., net=...) inside a function
EVAL_NET_KEYWORD = '''
from mindspore import load_checkpoint

from src.net import TinyNet


def run_eval():
    net = TinyNet(num_classes=7, width=6)
    load_checkpoint("/cache/checkpoint.ckpt", net=net)
    raise RuntimeError("evaluated")


if __name__ == "__main__":
    run_eval()
'''
# only a Model: the script builds no checkpoint loading of its own
EVAL_MODEL_ONLY = '''
import mindspore.nn as nn
from mindspore.train import Model

from src.net import TinyNet

net = TinyNet(num_classes=3)
model = Model(net, loss_fn=nn.SoftmaxCrossEntropyWithLogits(sparse=True), metrics={"acc"})
model.eval(None)
'''
EVAL_NOTHING = 'print("this eval.py builds no network")\n'
# two networks loaded before the data is read; the card is named after the second
EVAL_TWO = '''
import mindspore.dataset as ds
import mindspore.nn as nn
from mindspore import load_checkpoint, load_param_into_net


class Scorer(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc = nn.Dense(4, 1)


class EvalTwo(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc = nn.Dense(4, 9)


scorer, classifier = Scorer(), EvalTwo()
rows = ds.MindDataset("/nonexistent/val.mindrecord").create_dict_iterator(output_numpy=True)
load_param_into_net(scorer, load_checkpoint("scorer.ckpt"))
load_param_into_net(classifier, load_checkpoint("classifier.ckpt"))
for row in rows:
    print("evaluating", scorer(row["x"]))
'''
# cluster housekeeping before the network: a command and a write into the user's project
EVAL_HOUSEKEEPING = '''
import os

from mindspore import load_checkpoint, load_param_into_net

from src.net import TinyNet

status = os.system("cp *.py " + os.environ["EVAL_TARGET"] + "-backup")
try:
    with open(os.environ["EVAL_TARGET"], "w") as f:
        f.write("written by eval.py")
except PermissionError:
    pass
net = TinyNet(num_classes=2 if status else 4)
load_param_into_net(net, load_checkpoint("/cache/ckpt"))
'''
# two networks of one class, told apart by the names the script binds them to; its loop resizes each batch and
# calls the classifier with the image and the index of the side, after the scorer has scored the batch
EVAL_PAIR = '''
import mindspore.dataset as ds
import mindspore.dataset.vision as vision
import mindspore.nn as nn
import mindspore.ops as ops
from mindspore import Tensor, load_checkpoint, load_param_into_net


class Branch(nn.Cell):
    def __init__(self, width):
        super().__init__()
        self.fc = nn.Dense(3, width)

    def construct(self, x, side=None):
        pooled = x.mean(axis=(2, 3))
        out = self.fc(pooled)
        return out if side is None else out * (side + 1)


data = ds.ImageFolderDataset("/nonexistent/val").map(
    operations=[vision.Decode(), vision.Resize((8, 8)), vision.Rescale(1 / 255, 0), vision.HWC2CHW()],
    input_columns="image").batch(2)
scorer_net, classifier_net = Branch(2), Branch(2)
load_param_into_net(scorer_net, load_checkpoint("/cache/scorer.ckpt"))
load_param_into_net(classifier_net, load_checkpoint("/cache/classifier.ckpt"))
for row in data.create_dict_iterator(output_numpy=True):
    images = Tensor(row["image"])
    weights = scorer_net(images)
    for j, side in enumerate((6, 4)):
        resized = ops.interpolate(images, size=(side, side), mode="bilinear")
        print("evaluating", weights * classifier_net(resized, j))
'''
# run by its shell script from scripts/eval/ (made there), reading a file relative to that place
EVAL_PLACE = '''
import json

from mindspore import load_checkpoint, load_param_into_net

from src.net import TinyNet

with open("../../json/net.json") as config:
    width = json.load(config)["width"]
net = TinyNet(num_classes=3, width=width)
load_param_into_net(net, load_checkpoint("/cache/checkpoint.ckpt"))
'''
RUN_EVAL_SH = """#!/bin/bash
rm -rf ./eval
mkdir ./eval
cp ../*.py ./eval
cp -r ../src ./eval
cd ./eval || exit
python eval.py --checkpoint_path=$1 &> log &
cd ..
"""
# pointnet's layout: eval.py sizes its network by an attribute of its own data class (the data not here), and
# the directory's export script is src/export.py (its README: ``python src/export.py``), with that size written out
EVAL_SIZED_BY_DATA = '''
from mindspore import load_checkpoint, load_param_into_net

from src.dataset import Parts
from src.net import TinyNet

parts = Parts("/nonexistent/shapes")
net = TinyNet(num_classes=parts.num_parts)
load_param_into_net(net, load_checkpoint("net.ckpt"))
'''
PARTS = '''
import os


class Parts:
    def __init__(self, root):
        with open(os.path.join(root, "parts.txt")) as f:
            self.num_parts = len(f.read().split())
'''
NESTED_EXPORT = '''
import numpy as np
from mindspore import Tensor, export, load_checkpoint

from src.net import TinyNet

net = TinyNet(num_classes=4)
load_checkpoint("net.ckpt", net=net)
export(net, Tensor(np.zeros((1, 3, 8, 8), np.float32)), file_name="tiny", file_format="MINDIR")
'''
# PredRNN++'s layout: a network built for its batch (its input shape), fed a MindRecord of frames cut into patches
# that src/record.py writes (its schema declares the column), and a mask the loop makes beside each batch
RECORD_WRITER = '''
from mindspore.mindrecord import FileWriter


def write(path, sequences):
    writer = FileWriter(file_name=path, shard_num=1)
    writer.add_schema({"input_x": {"type": "float32", "shape": [4, 2, 3, 3]}}, "frames cut into patches")
    writer.write_raw_data([{"input_x": s} for s in sequences])
    writer.commit()
'''
SEQ_NET = '''
import numpy as np
import mindspore.nn as nn
from mindspore import Tensor


class SeqNet(nn.Cell):
    def __init__(self, input_shape):
        super().__init__()
        batch, _, channels, height, width = input_shape
        self.state = Tensor(np.zeros((batch, channels, height, width), np.float32))
        self.conv = nn.Conv2d(channels, channels, 1, has_bias=True)

    def construct(self, frames, mask):
        out = self.state
        for t in range(frames.shape[1]):
            out = self.conv(frames[:, t] + out)
        return out + mask.sum(axis=1)
'''
EVAL_RECORD = '''
import argparse

import numpy as np
import mindspore as ms
import mindspore.dataset as ds
from mindspore import Tensor, load_checkpoint, load_param_into_net

from src.seqnet import SeqNet

parser = argparse.ArgumentParser()
parser.add_argument("--test_mindrecord", default="")
parser.add_argument("--pretrained_model", default="")
args = parser.parse_args()
batch = 2
net = SeqNet(input_shape=[batch, 4, 2, 3, 3])
load_param_into_net(net, load_checkpoint(args.pretrained_model))
mask = np.zeros((batch, 1, 2, 3, 3))
data = ds.MindDataset(args.test_mindrecord, columns_list=["input_x"], shuffle=False).batch(batch, drop_remainder=True)
for item in data.create_dict_iterator(output_numpy=True):
    print(net(Tensor(item["input_x"], ms.float32), Tensor(mask, ms.float32)))
'''
# IPT's layout: one eval.py for several tasks, the card's task chosen only by scripts/run_eval.sh (its TASK_ID);
# the data class globs its high-resolution folder and opens each file's low-resolution twin by a name it makes;
# with the default --ext it would write pickles beside the data instead
TASK_EVAL = """
import argparse

import numpy as np
import mindspore as ms
import mindspore.dataset as ds
from mindspore import Tensor, load_checkpoint, load_param_into_net

from src.data.pairs import PairData
from src.tasknet import TaskNet

parser = argparse.ArgumentParser()
parser.add_argument("--dir_data", default="/nonexistent/sr-data/")
parser.add_argument("--data_test", default="DIV2K")
parser.add_argument("--ext", default="sep")
parser.add_argument("--scale", type=str, default="4")
parser.add_argument("--task_id", type=int, default=0)
parser.add_argument("--denoise", action="store_true")
parser.add_argument("--derain", action="store_true")
parser.add_argument("--sigma", type=float, default=25)
parser.add_argument("--test_only", action="store_true")
parser.add_argument("--pth_path", default="")
args = parser.parse_args()
args.scale = [int(s) for s in args.scale.split("+")]

data = ds.GeneratorDataset(PairData(args), ["LR", "HR", "idx", "filename"], shuffle=False).batch(1)
net = TaskNet()
load_param_into_net(net, load_checkpoint(args.pth_path))
idx = Tensor(np.ones(args.task_id), ms.int32)
for item in data.create_dict_iterator(output_numpy=True):
    lr = item["LR"] - 100.0
    print(net(Tensor(lr[:, :, :4, :4], ms.float32), idx))
"""
PAIR_DATA = """
import glob
import os
import pickle

import numpy as np
from PIL import Image


def _read(path):
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"), np.float32).transpose(2, 0, 1)


class PairData:
    def __init__(self, args):
        self.args = args
        root = os.path.join(args.dir_data, args.data_test)
        self.hr = sorted(glob.glob(os.path.join(root, "HR", "*.png")))
        scale = args.scale[0]
        self.lr = [os.path.join(root, "LR_bicubic", "X%d" % scale,
                                "%sx%d.png" % (os.path.splitext(os.path.basename(h))[0], scale)) for h in self.hr]
        self.bin = os.path.join(root, "bin")
        if args.ext == "sep":
            os.makedirs(self.bin, exist_ok=True)

    def __getitem__(self, index):
        if self.args.ext == "sep":
            with open(os.path.join(self.bin, "%d.pt" % index), "rb") as f:
                return pickle.load(f)
        hr = _read(self.hr[index])
        if self.args.denoise and self.args.scale[0] == 1:
            return np.clip(hr + self.args.sigma, 0, 255), hr, [0], [index]
        return _read(self.lr[index]) / self.args.scale[0], hr, [0], [index]

    def __len__(self):
        return len(self.hr)
"""
TASK_NET = """
import mindspore.nn as nn


class TaskNet(nn.Cell):
    def __init__(self):
        super().__init__()
        self.heads = nn.CellList([nn.Conv2d(3, 3, 1, has_bias=True) for _ in range(6)])

    def construct(self, x, idx):
        return self.heads[idx.shape[0]](x)
"""
TASK_DIR = {"eval.py": TASK_EVAL, "src/data/pairs.py": PAIR_DATA, "src/tasknet.py": TASK_NET,
            "scripts/run_eval.sh": "python eval.py --dir_data $1 --ext img --task_id $4 --scale $SCALE\\n"}
TASK_CARDS = {"ipt_x3_set5": "set5", "ipt_denoise50_cbsd68": "cbsd68"}  # kept in hub/data/eval_commands.json
# AECR-Net's layout: the data class lists its hazy folder itself (os.listdir) and opens each file's ground truth
# by a name it makes from the first, in another folder
HAZE_EVAL = """
import argparse

import mindspore.dataset as ds
import mindspore.nn as nn
from mindspore import Tensor, load_checkpoint, load_param_into_net

from haze_data import HazePairs

parser = argparse.ArgumentParser()
parser.add_argument("--dir_data", default="/nonexistent/haze-data/")
parser.add_argument("--ckpt", default="")
args = parser.parse_args()

data = ds.GeneratorDataset(HazePairs(args.dir_data), ["hazy", "gt"], shuffle=False).batch(1)
net = nn.Conv2d(3, 3, 1, has_bias=True)
load_param_into_net(net, load_checkpoint(args.ckpt))
for item in data.create_dict_iterator():
    print(net(Tensor(item["hazy"])).shape)
"""
HAZE_DATA = """
import os

import numpy as np
from PIL import Image


def _read(path):
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"), np.float32).transpose(2, 0, 1) / 255.0


class HazePairs:
    def __init__(self, root):
        folder = os.path.join(root, "Dense", "hazy")
        self.hazy = [os.path.join(folder, name) for name in os.listdir(folder)]
        self.clear = os.path.join(root, "Dense", "GT")

    def __getitem__(self, index):
        stem = os.path.basename(self.hazy[index]).split("_")[0]
        return _read(self.hazy[index]) - 0.5, _read(os.path.join(self.clear, stem + "_GT.png"))

    def __len__(self):
        return len(self.hazy)
"""
DIRS = {
    "evalnested": {"eval.py": EVAL_SIZED_BY_DATA, "src/dataset.py": PARTS, "src/net.py": NET,
                   "src/export.py": NESTED_EXPORT},
    "evalplace": {"eval.py": EVAL_PLACE, "src/net.py": NET, "json/net.json": '{"width": 5}\n',
                  "scripts/run_eval.sh": RUN_EVAL_SH},
    "evalparams": {"eval.py": EVAL_PARAMS, "src/net.py": NET},
    "evalkeyword": {"eval.py": EVAL_NET_KEYWORD, "src/net.py": NET},
    "evalmodel": {"eval.py": EVAL_MODEL_ONLY, "src/net.py": NET},
    "evalnothing": {"eval.py": EVAL_NOTHING},
    "evaltwo": {"eval.py": EVAL_TWO},
    "evalhousekeeping": {"eval.py": EVAL_HOUSEKEEPING, "src/net.py": NET},
    "evalpair": {"eval.py": EVAL_PAIR},
    "evalrecord": {"eval.py": EVAL_RECORD, "src/seqnet.py": SEQ_NET, "src/record.py": RECORD_WRITER},
    "evalhaze": {"eval.py": HAZE_EVAL, "haze_data.py": HAZE_DATA},
}
PAIR_CARDS = ("evalpair_classifier", "evalpair_scorer")  # two cards of one directory, one network each
USER_PROJECT = r'''
import json, os, sys
sys.argv = ["my_script.py", "--device_target", "Ascend"]
import mindspore as ms
import mindspore_hub as mshub
import src
cwd, argv, path = os.getcwd(), list(sys.argv), list(sys.path)
out = {}
for name in ("evalparams", "evalkeyword", "evalmodel"):
    net = mshub.load(f"mindspore/1.9/{name}_x", pretrained=False)
    out[name] = {"route": net.load_report.route, "notes": net.load_report.notes, "cls": type(net).__name__,
                 "params": sum(int(p.size) for p in net.get_parameters())}
out["kept"] = (os.getcwd(), sys.argv, sys.path, src.OWNER) == (cwd, argv, path, "user src")
out["context"] = [ms.get_context("device_target"), ms.get_context("mode")]
out["files"] = sorted(os.listdir("."))
print(json.dumps(out))
'''


def _card(directory: str) -> str:
    return export_card(directory).replace(f"tree/{RELEASE}/official/cv/{directory}",
                                          f"tree/{RELEASE}/{BASE}{directory}")


@pytest.fixture(scope="module")
def eval_git_config(tmp_path_factory):
    root = tmp_path_factory.mktemp("eval-repos")
    files = {BASE + d + "/" + rel: text for d, tree in DIRS.items() for rel, text in tree.items()}
    catalog = {f"mshub_res/assets/mindspore/1.9/{d}_x.md": _card(d) for d in DIRS}
    catalog.update({f"mshub_res/assets/mindspore/1.9/{c}_x.md": _card("evalpair").replace(
        "model-name: evalpair", f"model-name: {c}") for c in PAIR_CARDS})
    files.update({"research/cv/IPT/" + rel: text for rel, text in TASK_DIR.items()})
    catalog.update({f"mshub_res/assets/mindspore/1.9/{stem}.md": stand_in_card("IPT", RELEASE, "research/cv/IPT",
                                                                               f"{stem}.ckpt", dataset)
                    for stem, dataset in TASK_CARDS.items()})
    return build_repos(root, {RELEASE: {"README.md": "zoo stand-in\n", **files}}, catalog)


@pytest.fixture
def eval_env(eval_git_config, monkeypatch, hub_env, tmp_path):
    from export_repos import use_repos

    return use_repos(eval_git_config, monkeypatch, tmp_path)


def test_eval_scripts_give_the_network_they_load_a_checkpoint_into(eval_env, tmp_path):
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    (project / "src" / "__init__.py").write_text('OWNER = "user src"\n')
    run = subprocess.run([sys.executable, "-c", USER_PROJECT], cwd=project, env=eval_env, capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert "eval.py of evalparams is running" in run.stderr
    assert "the evaluation ran" not in run.stderr and "accuracy:" not in run.stderr + run.stdout
    width4, width6 = 3 * 4 * 9, 3 * 6 * 9  # TinyNet: Conv2d without bias, then Dense
    params = out["evalparams"]
    assert (params["route"], params["cls"], params["params"]) == ("eval", "TinyNet", width4 + 4 * 5 + 5)
    assert any("handed to load_param_into_net" in n for n in params["notes"])
    assert any(n.startswith("dataset stand-in") and "ImageFolderDataset('/nonexistent/imagenet/val'" in n
               for n in params["notes"])
    assert any(n.startswith("not applied: the code's set_context(") and "device_target='CPU'" in n
               for n in params["notes"])  # the CPU its parser offered, and not applied either
    keyword = out["evalkeyword"]
    assert (keyword["route"], keyword["params"]) == ("eval", width6 + 6 * 7 + 7)
    assert any("load_checkpoint(..., net=...)" in n for n in keyword["notes"])
    model = out["evalmodel"]
    assert (model["route"], model["params"]) == ("eval", width4 + 4 * 3 + 3)
    assert out["kept"] is True
    assert out["context"] == ["CPU", 1]  # the script's GRAPH_MODE undone (PyNative is 1)
    assert out["files"] == ["src"]  # nothing written in the user's project


def test_eval_option_by_keyword_and_a_script_without_network(eval_env):
    import hub
    from hub.errors import ZooBuildError

    net = hub.load("mindspore/1.9/evalparams_x", pretrained=False, num_classes=11)
    assert net.fc.weight.shape == (11, 4)
    assert "options set: num_classes=11" in net.load_report.notes
    from hub.inference.inputs import _eval_script_inputs

    inputs, source = _eval_script_inputs(net)  # what the script's own pipeline would feed the network
    assert [tuple(x.shape) for x in inputs] == [(1, 3, 8, 8)], source
    assert "ImageFolderDataset -> Decode -> Resize -> Rescale -> HWC2CHW" in source
    assert tuple(net(*inputs).shape) == (1, 11)
    with pytest.raises(ZooBuildError, match=r"eval\.py ran to its end without loading a checkpoint") as caught:
        hub.load("mindspore/1.9/evalnothing_x", pretrained=False)
    assert caught.value.kind == "no-network"
    two = hub.load("mindspore/1.9/evaltwo_x", pretrained=False)
    assert type(two).__name__ == "EvalTwo"
    assert "eval.py loads 2 networks (Scorer, EvalTwo); this one is named like the card" in two.load_report.notes
    assert any(n.startswith("dataset stand-in") and "MindDataset('/nonexistent/val.mindrecord')" in n
               for n in two.load_report.notes)
    with pytest.raises(ZooBuildError, match=r"no option or config key widht; the keys it offers: checkpoint_path"):
        hub.load("mindspore/1.9/evalparams_x", pretrained=False, widht=3)


def test_a_size_read_from_data_not_here_is_not_made_up_and_an_export_script_one_folder_down_builds(eval_env):
    import hub

    net = hub.load("mindspore/1.9/evalnested_x", pretrained=False)
    assert (net.load_report.route, net.fc.weight.shape) == ("export", (4, 4))
    notes = net.load_report.notes
    assert notes[0].startswith("eval.py did not build (data-file: ") and "built by src/export.py instead" in notes[0]
    assert "but got 'MissingValue'; it was given what the script read from data that is not here (num_parts of " \
        "Parts('/nonexistent/shapes') of src/dataset.py)" in notes[0]
    assert "export script: src/export.py, the directory having none of its own" in notes


def test_a_dataset_stand_in_fails_on_first_use_naming_the_dataset():
    import mindspore.dataset as ds

    from hub.routes.zoo.sandbox.eval_capture import MissingDataError, captured_evaluation

    real = ds.Cifar10Dataset
    with captured_evaluation() as reached:
        data = ds.Cifar10Dataset("/nonexistent/cifar").batch(4).repeat(2)
        assert data.get_dataset_size() == 1
        with pytest.raises(MissingDataError, match=r"Cifar10Dataset\('/nonexistent/cifar'\) has no data here"):
            next(iter(data.create_tuple_iterator()))
    assert reached.datasets == ["Cifar10Dataset('/nonexistent/cifar')"]
    assert [step[0] for step in reached.pipelines[0].steps] == ["batch", "repeat"]  # the calls, kept in order
    assert ds.Cifar10Dataset is real and os.path.isdir(REPO)


def test_eval_script_housekeeping_is_refused_and_said(eval_env, tmp_path, monkeypatch):
    import hub

    target = tmp_path / "project" / "notes.txt"
    target.parent.mkdir()
    monkeypatch.setenv("EVAL_TARGET", str(target))
    net = hub.load("mindspore/1.9/evalhousekeeping_x", pretrained=False)
    assert net.fc.weight.shape == (2, 4)  # os.system gave a failure status and the script carried on
    notes = net.load_report.notes
    assert any(n.startswith("refused: os.system('cp *.py ") and "at eval.py:" in n for n in notes), notes
    assert any(n.startswith("refused: ") and str(target) in n for n in notes), notes
    assert sorted(p.name for p in target.parent.iterdir()) == []
    assert os.environ["EVAL_TARGET"] == str(target)


def test_an_eval_loop_feeds_its_network_as_it_does_for_a_photo(eval_env):
    """Of two networks of one class, each card gets the one the script names after it; its example inputs are
    what the script's own loop passes that network for a photo through the dataset's pipeline."""
    import numpy as np
    from mindspore import Tensor, ops

    import hub
    from hub.inference.inputs import photo_path

    classifier = hub.load("mindspore/1.9/evalpair_classifier_x", pretrained=False)
    assert ("eval.py loads 2 networks (Branch, Branch); this one, which the script names 'classifier_net', is named "
            "like the card") in classifier.load_report.notes
    image, side = classifier.example_inputs
    source = classifier.example_inputs.source
    lines = EVAL_PAIR.splitlines()
    classifier_line = next(i for i, line in enumerate(lines, 1) if "classifier_net(resized, j)" in line)
    scorer_line = next(i for i, line in enumerate(lines, 1) if "scorer_net(images)" in line)
    assert source.startswith(f"eval.py's own call at eval.py:{classifier_line}, fed a photo through "
                             "ImageFolderDataset"), source
    assert "Decode(to_pil=False) -> Resize(size=[8, 8], interpolation=BILINEAR) -> Rescale" in source
    assert side == 0 and tuple(image.shape) == (1, 3, 6, 6)
    # the photo through the card's own preprocessing, resized as the loop resizes it
    photo = hub.preprocess("mindspore/1.9/evalpair_classifier_x")(photo_path())
    expected = ops.interpolate(Tensor(photo[None]), size=(6, 6), mode="bilinear").asnumpy()
    np.testing.assert_allclose(image.asnumpy(), expected, rtol=1e-6)
    assert tuple(classifier(*classifier.example_inputs).shape) == (1, 2)
    scorer = hub.load("mindspore/1.9/evalpair_scorer_x", pretrained=False)
    assert scorer is not classifier and "which the script names 'scorer_net'" in " ".join(scorer.load_report.notes)
    (image,) = scorer.example_inputs
    assert scorer.example_inputs.source.startswith(f"eval.py's own call at eval.py:{scorer_line}")
    np.testing.assert_allclose(image.asnumpy(), photo[None], rtol=1e-6)


def test_a_script_run_by_its_shell_script_from_a_subfolder_reads_its_files_from_there(eval_env, hub_env):
    """ISyNet's way: ``scripts/run_eval.sh`` makes ``scripts/eval/``, runs ``eval.py`` there, and the code reads
    ``../../json/...``; the hub runs it from that place in a folder of its own, writing nothing into the code."""
    import hub

    places = set(Path(tempfile.gettempdir()).glob("mshub-place-*"))
    net = hub.load("mindspore/1.9/evalplace_x", pretrained=False)
    assert net.fc.weight.shape == (3, 5)  # the width read from json/net.json
    assert ("eval.py run from scripts/eval/, as scripts/run_eval.sh runs it (../../json/net.json is read from "
            "there)") in net.load_report.notes
    code = [p for p in hub_env.rglob("run_eval.sh")]
    assert code and not any((p.parent / "eval").exists() for p in code)  # no scripts/eval/ made in the code
    assert set(Path(tempfile.gettempdir()).glob("mshub-place-*")) == places  # the folder it ran from is gone


def test_an_eval_loop_over_a_mindrecord_is_fed_rows_of_the_schema_its_own_writer_declares(eval_env):
    """PredRNN++: no photo fits a record of frames cut into patches, but the directory's writer declares the
    column's type and shape; the loop gets zero rows of it batched as its pipeline batches them, and its own call
    (with the mask it makes) is the network's example inputs."""

    import hub

    net = hub.load("mindspore/1.9/evalrecord_x", pretrained=False)
    frames, mask = net.example_inputs
    source = net.example_inputs.source
    line = next(i for i, text in enumerate(EVAL_RECORD.splitlines(), 1) if "print(net(" in text)
    declared = next(i for i, text in enumerate(RECORD_WRITER.splitlines(), 1) if "add_schema" in text)
    assert source == (f"eval.py's own call at eval.py:{line}, fed zero rows of the MindRecord columns its code "
                      f"declares (input_x: float32 [4, 2, 3, 3] (declared at src/record.py:{declared})) through "
                      f"MindDataset of eval.py:{line - 2}, batch of 2"), source
    assert tuple(frames.shape) == (2, 4, 2, 3, 3) and tuple(mask.shape) == (2, 1, 2, 3, 3)
    assert not frames.asnumpy().any()
    assert tuple(net(*net.example_inputs).shape) == (2, 2, 3, 3)


def _stand_in_rows(tmp_path: Path, image: Path, scale: int, **options) -> tuple:
    """Row 0 of the stand-in's own data class over a real one-image folder holding ``image`` (as its high- and its
    low-resolution file), imported from its source here."""
    import argparse
    import importlib.util
    import shutil

    root = tmp_path / "sr-data" / "Set5"
    (root / "HR").mkdir(parents=True)
    (root / "LR_bicubic" / f"X{scale}").mkdir(parents=True)
    shutil.copyfile(image, root / "HR" / "baby.png")
    shutil.copyfile(image, root / "LR_bicubic" / f"X{scale}" / f"babyx{scale}.png")
    source = tmp_path / "pairs.py"
    source.write_text(PAIR_DATA)
    spec = importlib.util.spec_from_file_location("stand_in_pairs", source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    values = {"dir_data": str(tmp_path / "sr-data"), "data_test": "Set5", "ext": "img", "scale": [scale],
              "denoise": False, "sigma": 25.0}
    return module.PairData(argparse.Namespace(**{**values, **options}))[0]


def test_a_card_whose_task_only_its_shell_script_names_gets_its_documented_command(eval_env, tmp_path):
    """IPT: the hub's table gives each card its run_eval.sh branch (task, scale, ``--ext img``); the data class's
    folder is not here, so its glob gives one stand-in image, and the image files it then opens are the one a user
    gives: element for element what the class gives for that file in a real folder."""
    import numpy as np
    from PIL import Image

    import hub

    image = tmp_path / "photo.png"
    Image.fromarray(np.random.default_rng(3).integers(0, 255, (12, 10, 3), dtype=np.uint8)).save(image)
    pre = hub.preprocess("mindspore/1.9/ipt_x3_set5")
    assert sorted(pre.config["chosen"]) == ["ext='img'", "scale='3'", "task_id=1", "test_only=True"]
    assert pre.config["steps"][0]["op"] == "PairData.__getitem__"
    lr, *_ = _stand_in_rows(tmp_path, image, 3)
    np.testing.assert_array_equal(pre(str(image)), lr)
    # the low-resolution file was read as the image given: its scale divides it
    np.testing.assert_array_equal(pre(str(image)) * 3, np.asarray(Image.open(image), np.float32).transpose(2, 0, 1))

    net = hub.load("mindspore/1.9/ipt_x3_set5", pretrained=False)
    note = next(n for n in net.load_report.notes if n.startswith("options of the card's documented eval command"))
    assert "research/cv/IPT/scripts/run_eval.sh, TASK_ID 1" in note
    assert all(f"{given}" in note for given in ("task_id=1", "scale='3'", "ext='img'", "test_only=True")), note
    patch, idx = net.example_inputs
    line = next(i for i, text in enumerate(TASK_EVAL.splitlines(), 1) if "print(net(" in text)
    assert net.example_inputs.source.startswith(f"eval.py's own call at eval.py:{line}, fed a photo through "
                                                "GeneratorDataset"), net.example_inputs.source
    assert tuple(patch.shape) == (1, 3, 4, 4) and tuple(idx.shape) == (1,)  # the task is the index's length
    assert tuple(net(*net.example_inputs).shape) == (1, 3, 4, 4)
    # the network's build recorded the class without stand-ins: its preprocessing is still the class's rows
    from hub.inference import resolve

    resolve.forget()
    np.testing.assert_array_equal(resolve.card_preprocess(hub.info("mindspore/1.9/ipt_x3_set5"), network=net)(
        str(image)), lr)


def test_a_documented_denoising_command_sets_its_flags(eval_env, tmp_path):
    """The denoising card's branch sets flags (``--denoise``) and values (``--sigma 50``): its rows are the class's
    noisy ones, its index is of task 5; options the caller passes still win."""
    import numpy as np
    from PIL import Image

    import hub

    image = tmp_path / "photo.png"
    Image.fromarray(np.random.default_rng(4).integers(0, 255, (9, 11, 3), dtype=np.uint8)).save(image)
    pre = hub.preprocess("mindspore/1.9/ipt_denoise50_cbsd68")
    assert "denoise=True" in pre.config["chosen"] and "sigma=50.0" in pre.config["chosen"]
    noisy, clean, *_ = _stand_in_rows(tmp_path, image, 1, denoise=True, sigma=50.0)
    np.testing.assert_array_equal(pre(str(image)), noisy)
    assert not np.array_equal(noisy, clean)
    assert "sigma=10.0" in hub.preprocess("mindspore/1.9/ipt_denoise50_cbsd68", sigma=10.0).config["chosen"]
    net = hub.load("mindspore/1.9/ipt_denoise50_cbsd68", pretrained=False)
    _, idx = net.example_inputs
    assert tuple(idx.shape) == (5,)


def test_without_its_documented_command_a_task_card_has_no_rows(eval_env):
    """The script's defaults (``--ext sep``) make the class write beside its data, which the guard refuses: no
    photo reaches the loop, and the hub says why rather than guess."""
    import hub
    from hub.errors import PreprocessError

    with pytest.raises(PreprocessError, match="does not read the file given: FileNotFoundError"):
        hub.preprocess("mindspore/1.9/ipt_x3_set5", ext="sep")


def test_a_data_class_that_lists_a_folder_not_here_gets_one_stand_in_image(eval_env, tmp_path):
    """AECR-Net: ``os.listdir`` of the hazy folder (not here) lists one stand-in image, and the ground truth the
    class names from it is read as the image given: the row equals, element for element, what the class gives for
    that file in a real one-image folder; the eval loop's own call is the network's example inputs."""
    import importlib.util

    import numpy as np
    from PIL import Image

    import hub

    image = tmp_path / "photo.png"
    Image.fromarray(np.random.default_rng(5).integers(0, 255, (7, 9, 3), dtype=np.uint8)).save(image)
    pre = hub.preprocess("mindspore/1.9/evalhaze_x")
    assert pre.config["steps"][0]["op"] == "HazePairs.__getitem__"
    root = tmp_path / "haze-data" / "Dense"
    (root / "hazy").mkdir(parents=True)
    (root / "GT").mkdir()
    Image.open(image).save(root / "hazy" / "01_hazy.png")
    Image.open(image).save(root / "GT" / "01_GT.png")
    source = tmp_path / "haze_data.py"
    source.write_text(HAZE_DATA)
    spec = importlib.util.spec_from_file_location("stand_in_haze", source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    hazy, _ = module.HazePairs(str(tmp_path / "haze-data"))[0]
    np.testing.assert_array_equal(pre(str(image)), hazy)

    net = hub.load("mindspore/1.9/evalhaze_x", pretrained=False)
    from hub.inference.inputs import photo_path

    (x,) = net.example_inputs
    np.testing.assert_array_equal(x.asnumpy(), pre(photo_path())[None])
    assert "eval.py's own call" in net.example_inputs.source, net.example_inputs.source
    assert tuple(net(*net.example_inputs).shape) == tuple(x.shape)
