"""Zoo code that builds nothing as the hub first runs it, and what the hub does about it: code that builds its
network for the card's training device only, a script that reads every word of ``sys.argv`` as an option, an option
the script refuses to run without (the value the directory's README gives it), a ModelArts switch of ``type=bool``,
two networks of which one is named like the card without its generic words; and the errors that say why when
nothing can be done: a cell whose ``nn.Cell.__init__`` never runs, a data path that is not here. The zoo stand-in
below is our own code, written for these tests."""
from __future__ import annotations

import sys

import pytest
from export_repos import NET, use_repos
from zoo_repos import build_repos, stand_in_card

import mindspore_hub as mshub
from hub.errors import HubError

pytestmark = pytest.mark.network  # builds MindSpore networks

_EXPORT_HEAD = '''
import argparse
import sys

import numpy as np
import mindspore as ms

from src.net import TinyNet
'''
_EXPORT_TAIL = '''
ms.export(TinyNet(num_classes=classes), ms.Tensor(np.ones([1, 3, 8, 8]), ms.float32), file_name="t")
'''
# NFNet's std_conv.py: a layer defined for GPU and Ascend only, each its own (the checkpoint's names follow it)
DEVICE_LAYER = '''
import argparse

parser = argparse.ArgumentParser()
parser.add_argument("--device_target", default="GPU", choices=["GPU", "Ascend", "CPU"])
args, _ = parser.parse_known_args()
if args.device_target == "GPU":
    CLASSES = 3
elif args.device_target == "Ascend":
    CLASSES = 4
'''
DEVICE_EXPORT = _EXPORT_HEAD + "from src.layer import CLASSES as classes\n" + _EXPORT_TAIL
# NFNet's parser.py: every word of sys.argv that starts with "-" is an option, its hyphens stripped
ARGV_EXPORT = _EXPORT_HEAD + '''
for word in sys.argv:
    if word.startswith("-"):
        i = 0
        while word[i] == "-":
            i += 1
classes = 5
''' + _EXPORT_TAIL
# STGAN's get_args("test"): the experiment's name must be given, though it has a default
NAMED_EXPORT = _EXPORT_HEAD + '''
parser = argparse.ArgumentParser()
parser.add_argument("--experiment_name", default="20260101-000000")
parser.add_argument("--classes", type=int, default=6)
args = parser.parse_args()
assert args.experiment_name != "20260101-000000", "--experiment_name should be assigned in test mode"
classes = args.classes
''' + _EXPORT_TAIL
NAMED_README = '''# named
    python train.py --dataroot ./dataset --experiment_name 128 > log 2>&1 &
    python eval.py --dataroot ./dataset --experiment_name 128 > eval_log.txt 2>&1 &
'''
NAMED_SHELL = "python ../preprocess.py --experiment_name temp\npython eval.py --experiment_name=$NAME\n"
# IRN's eval.py at r1.7: a ModelArts switch of type=bool, on by default
MODELARTS_EXPORT = _EXPORT_HEAD + '''
parser = argparse.ArgumentParser()
parser.add_argument("--modelarts_FLAG", type=bool, default=True, help="use modelarts or not")
args = parser.parse_args()
if args.modelarts_FLAG:
    import moxing as mox
    mox.file.copy_parallel(src_url="obs://bucket/data", dst_url="/cache/data")
classes = 7
''' + _EXPORT_TAIL
# ArbitraryStyleTransfer's eval.py: a feature extractor first, then the card's network
TWO_NETS_EVAL = '''
from mindspore import load_checkpoint, load_param_into_net

from src.net import TinyNet


class InceptionLike(TinyNet):
    pass


class tiny_style_model(TinyNet):
    pass


if __name__ == "__main__":
    features = InceptionLike(num_classes=2)
    load_param_into_net(features, load_checkpoint("./pretrained/inception.ckpt"))
    net = tiny_style_model(num_classes=8)
    load_param_into_net(net, load_checkpoint("./ckpt/style.ckpt"))
    raise SystemExit("the evaluation ran")
'''
# augvit's Block: ``super(Block).__init__()`` names no instance and runs nothing
UNBOUND_NET = NET + '''

class Block(nn.Cell):
    def __init__(self):
        super(Block).__init__()
        self.fc = nn.Dense(4, 4)
'''
UNBOUND_EXPORT = _EXPORT_HEAD + "from src.net import Block\n\nBlock()\nclasses = 2\n" + _EXPORT_TAIL
# osnet's datasets: a class count read from the data set's folder
DATA_EXPORT = _EXPORT_HEAD + '''
import os

if not os.path.exists("/cache/data/market1501"):
    raise RuntimeError('"/cache/data/market1501" is not found')
''' + _EXPORT_TAIL

BASE = "official/cv/"
RELEASE = "r1.9"
DIRS = {
    "devonly": {"export.py": DEVICE_EXPORT, "src/layer.py": DEVICE_LAYER, "src/net.py": NET},
    "argvwords": {"export.py": ARGV_EXPORT, "src/net.py": NET},
    "named": {"export.py": NAMED_EXPORT, "README.md": NAMED_README, "scripts/run_infer_310.sh": NAMED_SHELL,
              "src/net.py": NET},
    "modelarts": {"export.py": MODELARTS_EXPORT, "src/net.py": NET},
    "twonets": {"eval.py": TWO_NETS_EVAL, "src/net.py": NET},
    "unbound": {"export.py": UNBOUND_EXPORT, "src/net.py": UNBOUND_NET},
    "datapath": {"export.py": DATA_EXPORT, "src/net.py": NET},
}
CARDS = {  # card stem -> (model name, directory, the checkpoint's file name)
    "devonly_x": ("devonly", "devonly", "devonly_ascend_v190_x_research_cv_acc1.ckpt"),
    "devonlygpu_x": ("devonly", "devonly", "devonly_gpu_v190_x_research_cv_acc1.ckpt"),
    "argvwords_x": ("argvwords", "argvwords", "argvwords.ckpt"),
    "named_x": ("named", "named", "named.ckpt"),
    "modelarts_x": ("modelarts", "modelarts", "modelarts.ckpt"),
    "tinystyletransfer_x": ("TinyStyleTransfer", "twonets", "tinystyletransfer.ckpt"),
    "unbound_x": ("unbound", "unbound", "unbound.ckpt"),
    "datapath_x": ("datapath", "datapath", "datapath.ckpt"),
}


def uid(stem: str) -> str:
    return f"mindspore/1.9/{stem}"


def errors_card(stem: str) -> str:
    name, directory, ckpt = CARDS[stem]
    return stand_in_card(name, RELEASE, BASE + directory, ckpt)


@pytest.fixture(scope="module")
def errors_git_config(tmp_path_factory):
    files = {BASE + d + "/" + rel: text for d, tree in DIRS.items() for rel, text in tree.items()}
    catalog = {f"mshub_res/assets/{uid(stem)}.md": errors_card(stem) for stem in CARDS}
    return build_repos(tmp_path_factory.mktemp("errors-repos"), {RELEASE: {"README.md": "zoo\n", **files}}, catalog)


@pytest.fixture
def errors_env(errors_git_config, monkeypatch, hub_env, tmp_path):
    return use_repos(errors_git_config, monkeypatch, tmp_path)


def classes(net) -> int:
    return int(net.fc.weight.shape[0])


def test_code_that_builds_nothing_for_the_cpu_is_built_for_the_device_the_card_was_trained_on(errors_env):
    net = mshub.load(uid("devonly_x"), pretrained=False)
    assert classes(net) == 4  # Ascend's: the checkpoint's file name says ascend
    notes = " ".join(net.load_report.notes)
    assert "device_target='Ascend', the device the card's checkpoint was trained on" in notes
    assert "with the CPU export.py built nothing (ImportError: " in notes
    assert classes(mshub.load(uid("devonlygpu_x"), pretrained=False)) == 3
    assert classes(mshub.load(uid("devonly_x"), pretrained=False, device_target="GPU")) == 3  # the caller's wins


def test_a_script_sees_its_own_name_as_argv0_not_the_hosts(errors_env, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["-c"])  # python -c "import mindspore_hub; ...": "-c" is no option of the zoo's
    assert classes(mshub.load(uid("argvwords_x"), pretrained=False)) == 5
    monkeypatch.setattr(sys, "argv", ["-"])  # a program read from stdin
    assert classes(mshub.load(uid("argvwords_x"), pretrained=False)) == 5
    assert sys.argv == ["-"]


def test_an_option_the_script_refuses_to_run_without_gets_the_value_the_readme_gives_it(errors_env):
    net = mshub.load(uid("named_x"), pretrained=False)
    assert classes(net) == 6
    assert "experiment_name='128', as the directory's README.md gives it: without it export.py did not run " \
           "(AssertionError: --experiment_name should be assigned in test mode)" in net.load_report.notes
    assert classes(mshub.load(uid("named_x"), pretrained=False, experiment_name="mine", classes=3)) == 3


def test_a_modelarts_switch_of_type_bool_is_turned_off(errors_env):
    net = mshub.load(uid("modelarts_x"), pretrained=False)
    assert classes(net) == 7


def test_of_two_networks_the_one_named_like_the_card_without_its_generic_words_is_the_cards(errors_env):
    net = mshub.load(uid("tinystyletransfer_x"), pretrained=False)
    assert type(net).__name__ == "tiny_style_model" and classes(net) == 8
    assert "eval.py loads 2 networks (InceptionLike, tiny_style_model); this one is named like the card" \
        in net.load_report.notes


def test_a_cell_whose_cell_init_never_runs_is_said_to_be_the_zoos_bug(errors_env):
    with pytest.raises(HubError, match=r"unbound_x: running export.py \(src/net.py:\d+\) .* Block.__init__ "
                                       r"\(src/net.py:\d+\) never runs nn.Cell.__init__: its `super\(Block\)."
                                       r"__init__\(\)` \(line \d+\) names no instance.*MindSpore 1.x refused too"
                       ) as caught:
        mshub.load(uid("unbound_x"), pretrained=False)
    assert caught.value.kind == "zoo-error"


def test_an_error_naming_a_data_path_that_is_not_here_is_a_data_file_failure(errors_env):
    with pytest.raises(HubError, match=r"datapath_x: running export.py .* reads /cache/data/market1501, which is "
                                       r"not here") as caught:
        mshub.load(uid("datapath_x"), pretrained=False)
    assert caught.value.kind == "data-file"
