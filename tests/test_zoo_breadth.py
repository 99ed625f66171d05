"""More of the model zoo builds: a failing hub conf falls back to the export script, the zoo's misspelt
hub conf serves, export scripts under other names, code one folder down, and the removed ``py_transforms``
modules as the 2.x transforms that do the same. The zoo stand-in below is our own code, written for these tests."""
from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest
from export_repos import NET, use_repos
from zoo_repos import build_repos, git, stand_in_card

import mindspore_hub as mshub
from hub.errors import HubError
from hub.routes.zoo.variants.selection import ONLY_CONFIG

pytestmark = pytest.mark.network  # builds MindSpore networks

EXPORT_TINY = '''
import numpy as np
import mindspore as ms
from mindspore import Tensor, export

from src.net import TinyNet

if __name__ == "__main__":
    export(TinyNet(num_classes={classes}), Tensor(np.ones([1, 3, 8, 8]), ms.float32), file_name="t",
           file_format="MINDIR")
'''
ARGPARSE_EXPORT = '''
import argparse

import numpy as np
import mindspore as ms

from src.net import TinyNet

parser = argparse.ArgumentParser()
parser.add_argument("--ckpt_file", required=True)
parser.add_argument("--num_classes", type=int, default={classes})
args = parser.parse_args()
ms.export(TinyNet(num_classes=args.num_classes), ms.Tensor(np.ones([2, 3, 8, 8]), ms.float32), file_name="m")
'''
STALE_CONF = '''
from src.config import cfg  # the release moved its configs; this import is stale
from src.net import TinyNet


def create_network(name, *args, **kwargs):
    return TinyNet(num_classes=cfg.num_classes)
'''
PLAIN_CONF = '''
from src.net import TinyNet


def create_network(name, *args, **kwargs):
    if name != "{name}":
        raise NotImplementedError(name)
    return TinyNet(*args, **kwargs)
'''
BIN_WRITER = '''
import numpy as np

if __name__ == "__main__":  # writes preprocessed inputs, exports no network
    np.zeros([1, 3, 8, 8], np.float32).tofile("input.bin")
'''
PIPELINE_CONF = '''
import mindspore.dataset.vision.py_transforms as P
from mindspore.dataset.transforms.py_transforms import Compose

from src.net import TinyNet


def create_pipeline():
    return Compose([P.Decode(), P.Resize(6), P.CenterCrop(4), P.ToTensor(),
                    P.Normalize(mean=(0.5, 0.25, 0.5), std=(0.5, 0.5, 0.25))])


def create_network(name, *args, **kwargs):
    net = TinyNet()
    net.create_pipeline = create_pipeline
    return net
'''
PIPELINE_IN_BUILD_CONF = '''
from mindspore.dataset.transforms import py_transforms

from src.net import TinyNet


def create_network(name, *args, **kwargs):
    py_transforms.Reduce([])  # a network that really needs a name of the removed module with no equivalent
    return TinyNet()
'''

EVAL_ONLY = '''
from mindspore import load_checkpoint, load_param_into_net

from src.net import TinyNet

if __name__ == "__main__":
    net = TinyNet(num_classes=12)
    load_param_into_net(net, load_checkpoint("/cache/best.ckpt"))
    raise SystemExit("the evaluation ran")
'''
EXPORT_TYPO = '''
import argparse

from src.net import TinyNet

parser = argparse.ArgumentParser()
parser.add_argument("--export_model", default="tiny")
args = parser.parse_args()
if __name__ == "__main__":
    net = TinyNet(num_classes=9) if args.train_model == "tiny" else None  # the zoo's typo: no such option
'''
EVAL_NINE = EVAL_ONLY.replace("num_classes=12", "num_classes=9")
EVAL_BROKEN = "if __name__ == '__main__':\n    open('data/labels.txt')\n"
VARIANT_EXPORT = '''
import argparse

import numpy as np
import mindspore as ms

from src.net import TinyNet

parser = argparse.ArgumentParser()
parser.add_argument("--export_model", default="sppx_single", choices=["sppx_single", "sppx_mult", "zfnet"])
args = parser.parse_args()
classes = {"sppx_single": 2, "sppx_mult": 3, "zfnet": 5}[args.export_model]
ms.export(TinyNet(num_classes=classes), ms.Tensor(np.ones([1, 3, 8, 8]), ms.float32), file_name="v")
'''
JSON_CONFIG_EXPORT = '''
import argparse
import json

import numpy as np
import mindspore as ms

from src.net import TinyNet

parser = argparse.ArgumentParser()
parser.add_argument("--config", required=True, type=str, help="path to generator config .json file")
args = parser.parse_args()
with open(args.config) as f:
    classes = json.load(f)["classes"]
ms.export(TinyNet(num_classes=classes), ms.Tensor(np.ones([1, 3, 8, 8]), ms.float32), file_name="j")
'''

PARTS = '''
from mindspore import nn


class Encoder(nn.Cell):
    def __init__(self, batch_size, width=6):
        super().__init__()
        self.batch_size = batch_size
        self.fc = nn.Dense(4, width)

    def construct(self, x):
        return self.fc(x.reshape(self.batch_size, 4))


class Rank_Head(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc = nn.Dense(6, 1)

    def construct(self, x):
        return self.fc(x)


class Span_Head(nn.Cell):
    def __init__(self, hidden):
        super().__init__()
        self.fc = nn.Dense(hidden, 2)
'''
COMPOSED_EVAL = "from src.parts import Encoder, Rank_Head\nopen('data/dev.json')\n"

# STGCN's export.py: a data option with no default joined into a path (``args.data_url + '/'``), read or not
DATA_OPTION_EXPORT = '''
import argparse
import os

import numpy as np
import mindspore as ms

from src.net import TinyNet

parser = argparse.ArgumentParser()
parser.add_argument("--data_url", type=str, default=None)
args = parser.parse_args()
data_dir = args.data_url + "/"
if {reads}:
    with open(os.path.join(data_dir, "adj_mat.csv")) as f:
        nodes = len(f.readline().split(","))
else:
    nodes = 6
ms.export(TinyNet(num_classes=nodes), ms.Tensor(np.ones([1, 3, 8, 8]), ms.float32), file_name="m")
'''

# WGAN's and seq2seq's export.py: an option with no default (the generator config training writes) handed to a
# helper of the code's that opens it, so the None fails there, a frame below the script's line that reads it
SETTINGS_READER = '''
import json


def read_settings(json_file):
    with open(json_file) as reader:
        return json.load(reader)
'''
UNSET_OPTION_EXPORT = '''
import argparse

import numpy as np
import mindspore as ms

from src.settings import read_settings
from src.net import TinyNet

parser = argparse.ArgumentParser()
parser.add_argument("--generator_settings", type=str, default=None)
args_opt = parser.parse_args()
settings = read_settings(args_opt.generator_settings)
ms.export(TinyNet(num_classes=settings["classes"]), ms.Tensor(np.ones([1, 3, 8, 8]), ms.float32), file_name="m")
'''

# PoseEstNet's export.py: a config option whose default names no file (``config``); its README gives config.yaml
CFG_DEFAULT_EXPORT = '''
import argparse

import numpy as np
import mindspore as ms

from src.net import TinyNet

parser = argparse.ArgumentParser()
parser.add_argument("--cfg", type=str, default="config")
args = parser.parse_args()
with open(args.cfg) as f:
    classes = int(f.read().split(":")[1])
ms.export(TinyNet(num_classes=classes), ms.Tensor(np.ones([1, 3, 8, 8]), ms.float32), file_name="m")
'''

# GNMT's and DEM's hub confs: the name they offer differs from the card's by a version suffix or by case; each
# call turns the config's dataset option into a list, which a second call in the same import cannot take
OFFERING_CONF = """
from src.net import TinyNet

CONFIG = {"test_dataset": ""}


def create_network(name, *args, **kwargs):
    if isinstance(CONFIG["test_dataset"], list):
        raise TypeError("stat: path should be string, bytes, os.PathLike or integer, not list")
    CONFIG["test_dataset"] = []
    if name == "tiny":
        return TinyNet(num_classes=3)
    if name in ("DEM", "other"):
        return TinyNet(num_classes=5)
    raise NotImplementedError(f"{name} is not implemented in the repo")
"""

BASE = "official/cv/"
UNSERVED_FIGURE = "a figure the server keeps no copy of\n"
RELEASE = "r1.9"
DIRS = {
    "staleconf": {"mindspore_hub_conf.py": STALE_CONF, "export.py": EXPORT_TINY.format(classes=7),
                  "src/net.py": NET},
    "misspelt": {"mindpsore_hub_conf.py": PLAIN_CONF.format(name="misspelt"), "src/net.py": NET},
    "othername": {"export_model.py": ARGPARSE_EXPORT.format(classes=6), "tiny_export.py": EXPORT_TINY.format(classes=2),
                  "export_bin.py": BIN_WRITER, "train.py": "print('train')\n", "src/net.py": NET},
    "tie": {"export_first.py": EXPORT_TINY.format(classes=3), "export_tie.py": EXPORT_TINY.format(classes=8),
            "src/net.py": NET},
    "parent": {"README.md": "two networks, one folder each\n",
               "Net_A/export.py": EXPORT_TINY.format(classes=4), "Net_A/src/net.py": NET,
               "NetB/mindspore_hub_conf.py": PLAIN_CONF.format(name="net-b"), "NetB/src/net.py": NET,
               "net_c/export.py": "open('data/train.csv')\n"},
    "pipeline": {"mindspore_hub_conf.py": PIPELINE_CONF, "src/net.py": NET},
    "misspelteval": {"mindpsore_hub_conf.py": PLAIN_CONF.format(name="resnet20"), "eval.py": EVAL_ONLY,
                     "src/net.py": NET},
    "pipelineused": {"mindspore_hub_conf.py": PIPELINE_IN_BUILD_CONF, "src/net.py": NET},
    "exporttypo": {"export.py": EXPORT_TYPO, "eval.py": EVAL_NINE, "src/net.py": NET},
    "bothfail": {"export.py": EXPORT_TYPO, "eval.py": EVAL_BROKEN, "src/net.py": NET},
    "sppx": {"export.py": VARIANT_EXPORT, "src/net.py": NET},
    "jsoncfg": {"export.py": JSON_CONFIG_EXPORT, "generator_config.json": '{"classes": 6}', "src/net.py": NET},
    "parts": {"composed_eval.py": COMPOSED_EVAL, "src/parts.py": PARTS,
              "scripts/run_eval.sh": "python composed_eval.py\n"},
    "joinsdata": {"export.py": DATA_OPTION_EXPORT.format(reads=False), "src/net.py": NET},
    "readsdata": {"export.py": DATA_OPTION_EXPORT.format(reads=True), "src/net.py": NET},
    "cfgdefault": {"export.py": CFG_DEFAULT_EXPORT, "config.yaml": "classes: 7\n", "src/net.py": NET,
                   "README.md": "Export:\n\n    python export.py --cfg config.yaml --ckpt_path CKPT\n"},
    "offers": {"mindspore_hub_conf.py": OFFERING_CONF, "src/net.py": NET},
    "unsetjson": {"export.py": UNSET_OPTION_EXPORT, "src/settings.py": SETTINGS_READER, "src/net.py": NET},
    "figured": {"export.py": EXPORT_TINY.format(classes=5), "src/net.py": NET, "figures/arch.png": UNSERVED_FIGURE},
}
CARDS = {  # card stem -> (model name, directory)
    "staleconf_x": ("staleconf", "staleconf"),
    "misspelt_x": ("misspelt", "misspelt"),
    "othername_x": ("othername", "othername"),
    "tie_x": ("tie", "tie"),
    "neta_x": ("NetA", "parent"),
    "netb_x": ("net-b", "parent"),
    "net0_x": ("NetC", "parent"),  # sorts first in its directory: its failure is its own
    "pipeline_x": ("pipeline", "pipeline"),
    "misspelteval_x": ("MisspeltEval", "misspelteval"),
    "pipelineused_x": ("pipelineused", "pipelineused"),
    "exporttypo_x": ("exporttypo", "exporttypo"),
    "bothfail_x": ("bothfail", "bothfail"),
    "sppx_mult": ("SPPX", "sppx"),
    "sppx_zfnet": ("SPPX", "sppx"),
    "jsoncfg_x": ("jsoncfg", "jsoncfg"),
    "figured_x": ("figured", "figured"),
    "unsetjson_x": ("unsetjson", "unsetjson"),
    "offers_v2": ("tiny_v2", "offers"),
    "offers_dem": ("dem", "offers"),
    "offers_none": ("tinynet", "offers"),
    "joinsdata_x": ("joinsdata", "joinsdata"),
    "cfgdefault_x": ("cfgdefault", "cfgdefault"),
    "readsdata_x": ("readsdata", "readsdata"),
    "parts_rankhead_coco2017": ("parts", "parts"),
    "parts_rankencoder_coco2017": ("parts", "parts"),
    "parts_spanhead_coco2017": ("parts", "parts"),
    "parts_decoder_coco2017": ("parts", "parts"),
}


def uid(stem: str) -> str:
    return f"mindspore/1.9/{stem}"


def breadth_card(stem: str) -> str:
    name, directory = CARDS[stem]
    return stand_in_card(name, RELEASE, BASE + directory, f"{stem}.ckpt")


@pytest.fixture(scope="module")
def breadth_git_config(tmp_path_factory):
    files = {BASE + d + "/" + rel: text for d, tree in DIRS.items() for rel, text in tree.items()}
    catalog = {f"mshub_res/assets/{uid(stem)}.md": breadth_card(stem) for stem in CARDS}
    root = tmp_path_factory.mktemp("breadth-repos")
    config = build_repos(root, {RELEASE: {"README.md": "zoo\n", **files}}, catalog)
    blob = git("hash-object", "--stdin", input=UNSERVED_FIGURE).strip()  # the mirror keeps the tree, not the blob
    (root / "models.git" / "objects" / blob[:2] / blob[2:]).unlink()
    return config


@pytest.fixture
def breadth_env(breadth_git_config, monkeypatch, hub_env, tmp_path):
    return use_repos(breadth_git_config, monkeypatch, tmp_path)


def classes(net) -> int:
    return int(net.fc.weight.shape[0])


def test_a_hub_conf_with_a_stale_import_falls_back_to_export_py(breadth_env):
    net = mshub.load(uid("staleconf_x"), pretrained=False)
    assert net.load_report.route == "export" and classes(net) == 7
    first = net.load_report.notes[0]
    assert first.startswith("mindspore_hub_conf.py did not build (stale-import)")
    assert "imports 'src.config'" in first and "built by export.py" in first
    with pytest.raises(HubError, match=r"staleconf_x.*imports 'src.config'") as caught:  # the caller's call
        mshub.load(uid("staleconf_x"), pretrained=False, num_classes=3)
    assert caught.value.kind == "stale-import"


def test_the_zoos_misspelt_hub_conf_serves_and_the_report_says_so(breadth_env):
    net = mshub.load(uid("misspelt_x"), pretrained=False, num_classes=4)
    assert net.load_report.route == "zoo" and classes(net) == 4
    assert net.load_report.notes[0].startswith("mindpsore_hub_conf.py served as the hub conf")


def test_a_misspelt_hub_conf_without_the_cards_network_falls_back_to_eval_py(breadth_env):
    net = mshub.load(uid("misspelteval_x"), pretrained=False)
    assert net.load_report.route == "eval" and classes(net) == 12
    first = net.load_report.notes[0]
    assert first.startswith("mindpsore_hub_conf.py did not build (no-name)") and "built by eval.py" in first


def test_an_export_script_that_fails_hands_over_to_the_eval_py_beside_it(breadth_env):
    net = mshub.load(uid("exporttypo_x"), pretrained=False)
    assert net.load_report.route == "eval" and classes(net) == 9
    first = net.load_report.notes[0]
    assert first.startswith("export.py did not build (zoo-error: ") and "train_model" in first
    assert first.endswith("built by eval.py instead")


def test_when_neither_script_builds_the_error_is_the_export_scripts_and_says_why_eval_py_did_not(breadth_env):
    with pytest.raises(HubError) as caught:
        mshub.load(uid("bothfail_x"), pretrained=False)
    message = str(caught.value)
    assert caught.value.kind == "zoo-error" and "bothfail_x" in message and "train_model" in message
    assert "the directory's eval.py did not build either (data-file: " in message and "labels.txt" in message


def test_a_variant_the_card_names_by_its_last_word_is_its_own(breadth_env):
    assert classes(mshub.load(uid("sppx_mult"), pretrained=False)) == 3
    net = mshub.load(uid("sppx_zfnet"), pretrained=False)  # model name SPPX; the variant is the stem's last word
    assert classes(net) == 5 and "export_model='zfnet'" in " ".join(net.load_report.notes)


def test_a_config_option_with_no_default_gets_the_directorys_json_config_when_it_asks_for_json(breadth_env):
    net = mshub.load(uid("jsoncfg_x"), pretrained=False)
    assert classes(net) == 6
    note = next(n for n in net.load_report.notes if "generator_config.json" in n)
    assert note.startswith(ONLY_CONFIG) and "config=" in note


def test_an_export_script_under_another_name(breadth_env):
    net = mshub.load(uid("othername_x"), pretrained=False)
    assert net.load_report.route == "export" and classes(net) == 6  # export_model.py, before tiny_export.py
    assert [list(t.shape) for t in net.example_inputs] == [[2, 3, 8, 8]]  # its own export, its own inputs
    notes = " ".join(net.load_report.notes)
    assert "export script: export_model.py" in notes and "of export_model.py, tiny_export.py" in notes
    assert "export_bin.py" not in notes  # no export( call in it: not a candidate, never run
    assert classes(mshub.load(uid("othername_x"), pretrained=False, num_classes=11)) == 11  # options as usual
    tie = mshub.load(uid("tie_x"), pretrained=False)  # the card's model name breaks the tie
    assert classes(tie) == 8 and "export script: export_tie.py" in tie.load_report.notes[0]


def test_a_directory_without_code_uses_the_networks_subdirectory(breadth_env):
    a = mshub.load(uid("neta_x"), pretrained=False)
    assert a.load_report.route == "export" and classes(a) == 4
    assert a.load_report.notes[0].startswith("code from the subdirectory Net_A/")
    b = mshub.load(uid("netb_x"), pretrained=False, num_classes=2)
    assert b.load_report.route == "zoo" and classes(b) == 2
    assert b.load_report.notes[0].startswith("code from the subdirectory NetB/")
    with pytest.raises(HubError, match=r"net0_x.*official/cv/parent/net_c .*reads data/train.csv") as caught:
        mshub.load(uid("net0_x"), pretrained=False)
    assert caught.value.notes == ["code from the subdirectory net_c/: official/cv/parent has no code of its own"]


def test_py_transforms_are_the_2x_transforms_that_do_the_same(breadth_env):
    import io

    import mindspore.dataset.transforms
    import mindspore.dataset.vision
    import numpy as np
    from PIL import Image

    net = mshub.load(uid("pipeline_x"), pretrained=False)
    notes = " ".join(net.load_report.notes)
    for module in ("mindspore.dataset.vision.py_transforms", "mindspore.dataset.transforms.py_transforms"):
        assert f"{module} -> MindSpore {mindspore.__version__}'s unified transforms where 1.x's names" in notes
        with pytest.raises(ModuleNotFoundError):  # gone again with the zoo code
            importlib.import_module(module)
    assert not hasattr(mindspore.dataset.vision, "py_transforms")
    assert not hasattr(mindspore.dataset.transforms, "py_transforms")
    # 1.x's Python pipeline on a 10x8 PNG: PIL decode to RGB, the shorter side resized to 6 (bilinear, the other
    # side int(6 * 10 / 8) = 7), the centre 4x4 (top int(round((7 - 4) / 2)) = 2, left 1), CHW in [0, 1], then
    # (x - mean) / std per channel
    pixels = np.random.default_rng(3).integers(0, 256, (10, 8, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    resized = np.asarray(Image.fromarray(pixels).resize((6, 7), Image.BILINEAR), np.float32)
    chw = resized[2:6, 1:5].transpose(2, 0, 1) / 255
    expected = (chw - np.array([0.5, 0.25, 0.5], np.float32)[:, None, None]) / np.array(
        [0.5, 0.5, 0.25], np.float32)[:, None, None]
    got = net.create_pipeline()(np.frombuffer(buffer.getvalue(), np.uint8))
    got = got[0] if isinstance(got, (tuple, list)) else got
    assert got.shape == (3, 4, 4) and got.dtype == np.float32
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6)
    # a name 1.x's Python transforms do not map to: it still raises, naming the removed API
    with pytest.raises(HubError, match=r"pipelineused_x.*\(mindspore_hub_conf.py:\d+\) uses an API .*removed.*"
                                       r"py_transforms.Reduce is a removed .* this name has none") as caught:
        mshub.load(uid("pipelineused_x"), pretrained=False)
    assert caught.value.kind == "removed-api"


def test_loadable_builds_each_card_of_a_shared_directory_on_its_own(breadth_env, tmp_path, hub_env):
    catalog = hub_env / ".catalogs" / "gitee" / "mshub_res" / "assets"
    run = subprocess.run([sys.executable, "-m", "hub", "loadable", "--catalog", str(catalog), "--json", "--jobs",
                          "1"], env=breadth_env, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    got = {o["uid"].split("/")[-1]: (o["route"], o["ok"], o["kind"]) for o in json.loads(run.stdout)["outcomes"]}
    assert got == {"staleconf_x": ("export", True, ""), "misspelt_x": ("zoo", True, ""),
                   "othername_x": ("export", True, ""), "tie_x": ("export", True, ""),
                   "neta_x": ("export", True, ""), "netb_x": ("zoo", True, ""),
                   "net0_x": ("export", False, "data-file"),
                   "pipeline_x": ("zoo", True, ""), "misspelteval_x": ("eval", True, ""),
                   "pipelineused_x": ("zoo", False, "removed-api"), "exporttypo_x": ("eval", True, ""),
                   "bothfail_x": ("export", False, "zoo-error"), "sppx_mult": ("export", True, ""),
                   "sppx_zfnet": ("export", True, ""), "jsoncfg_x": ("export", True, ""),
                   "figured_x": ("export", True, ""), "parts_rankhead_coco2017": ("class", True, ""),
                   "parts_rankencoder_coco2017": ("class", True, ""),
                   "parts_spanhead_coco2017": ("class", False, "arguments"),
                   "parts_decoder_coco2017": ("zoo", False, "no-hub-conf"),
                   "joinsdata_x": ("export", True, ""), "readsdata_x": ("export", False, "data-file"),
                   "unsetjson_x": ("export", False, "options"),
                   "cfgdefault_x": ("export", True, ""), "offers_v2": ("zoo", True, ""),
                   "offers_dem": ("zoo", True, ""), "offers_none": ("zoo", False, "no-name")}


def test_a_file_the_server_will_not_send_is_left_out_and_the_report_names_it(breadth_env, monkeypatch):
    from hub.cards import parse_repo_link
    from hub.routes.zoo import fetch_code_dir, prefetch

    figure = f"{BASE}figured/figures/arch.png"
    refs = [parse_repo_link(f"https://gitee.com/mindspore/models/tree/{RELEASE}/{BASE}{d}") for d in ("figured", "tie")]
    assert prefetch(refs) == 2  # one clone for both: the refused file does not cost the other directory
    monkeypatch.setenv("MSHUB_OFFLINE", "1")  # from the cache only
    code = fetch_code_dir(refs[0], uid("figured_x"))
    assert code.left_out == (figure,) and (code.path / "export.py").is_file() and not (code.path / "figures").exists()
    assert fetch_code_dir(refs[1], uid("tie_x")).left_out == ()
    net = mshub.load(uid("figured_x"), pretrained=False)
    assert net.load_report.route == "export" and classes(net) == 5
    assert net.load_report.notes[0] == (f"not fetched: {figure} (https://gitee.com/mindspore/models.git would not "
                                        "send it; the code was checked out without it)")


def test_a_directory_fetched_alone_leaves_the_same_file_out(breadth_env):
    net = mshub.load(uid("figured_x"), pretrained=False)
    assert classes(net) == 5 and net.load_report.notes[0].startswith(f"not fetched: {BASE}figured/figures/arch.png (")


def test_a_directory_without_scripts_builds_the_network_class_the_card_names(breadth_env):
    head = mshub.load(uid("parts_rankhead_coco2017"), pretrained=False)  # Rank_Head, spelt by the card's words
    assert head.load_report.route == "class" and type(head).__name__ == "Rank_Head"
    assert "the card's words ('rankhead') name Rank_Head of src/parts.py" in head.load_report.notes[0]
    encoder = mshub.load(uid("parts_rankencoder_coco2017"), pretrained=False)  # its words end with one class's name
    assert type(encoder).__name__ == "Encoder" and encoder.batch_size == 1 and encoder.fc.weight.shape == (6, 4)
    assert encoder.load_report.notes[1].startswith("batch_size=1: Encoder requires it")
    wide = mshub.load(uid("parts_rankencoder_coco2017"), pretrained=False, batch_size=3, width=8)
    assert wide.batch_size == 3 and wide.fc.weight.shape == (8, 4)
    with pytest.raises(HubError, match=r"parts_spanhead_coco2017: Span_Head of src/parts.py .* needs hidden: pass "
                                       r"hidden=\.\.\. to load") as caught:
        mshub.load(uid("parts_spanhead_coco2017"), pretrained=False)
    assert caught.value.kind == "arguments"
    assert mshub.load(uid("parts_spanhead_coco2017"), pretrained=False, hidden=5).fc.weight.shape == (2, 5)
    with pytest.raises(HubError, match="parts_decoder_coco2017: .*no network class the card's words") as caught:
        mshub.load(uid("parts_decoder_coco2017"), pretrained=False)  # no class is named Decoder: nothing is guessed
    assert caught.value.kind == "no-hub-conf"


def test_a_data_option_without_a_value_gets_a_path_that_is_not_there_and_a_read_of_it_names_the_option(breadth_env):
    net = mshub.load(uid("joinsdata_x"), pretrained=False)  # joined into a path, never read: it builds
    assert classes(net) == 6
    assert any(n.startswith("data options with no value given paths that are not there") for n in net.load_report.notes)
    with pytest.raises(HubError) as caught:  # read while it builds: the data it needs, named by its option
        mshub.load(uid("readsdata_x"), pretrained=False)
    assert caught.value.kind == "data-file"
    assert "reads /mshub-data-not-here/data_url/adj_mat.csv from its option 'data_url', which has no value here" \
        in str(caught.value) and "pass data_url=... to load" in str(caught.value)


def test_an_option_left_at_none_is_named_where_the_code_reads_it(breadth_env):
    """The None fails in a helper (``open(json_file)``); the error names the option as the script reads it, on its
    own line, and what to pass."""
    with pytest.raises(HubError) as caught:
        mshub.load(uid("unsetjson_x"), pretrained=False)
    line = next(i for i, text in enumerate(UNSET_OPTION_EXPORT.splitlines(), 1) if "read_settings(args_opt" in text)
    assert caught.value.kind == "options"
    assert (f"uses args_opt.generator_settings (export.py:{line}), which has no value (None) here; pass "
            "generator_settings=... to load() (TypeError: expected str, bytes or os.PathLike object, not NoneType)"
            ) in str(caught.value), str(caught.value)


def test_an_option_whose_default_names_a_file_that_is_not_there_gets_the_value_the_readme_gives(breadth_env):
    net = mshub.load(uid("cfgdefault_x"), pretrained=False)
    assert classes(net) == 7
    assert any(n.startswith("cfg='config.yaml', as the directory's README.md gives it: without it export.py did not "
                            "run (FileNotFoundError") for n in net.load_report.notes)


def test_a_hub_conf_offering_the_cards_name_up_to_case_or_a_version_suffix_builds_it(breadth_env):
    versioned = mshub.load(uid("offers_v2"), pretrained=False)
    assert versioned.load_report.route == "zoo" and classes(versioned) == 3
    assert versioned.load_report.notes[0].startswith(
        "the hub conf offers no network named 'tiny_v2' (the card's name): built 'tiny', the name it offers "
        "that differs only by a version suffix")
    cased = mshub.load(uid("offers_dem"), pretrained=False)
    assert classes(cased) == 5 and "built 'DEM'" in cased.load_report.notes[0]
    assert "differs only by case" in cased.load_report.notes[0]
    with pytest.raises(HubError, match=r"offers_none.*offers no network named 'tinynet'.*"
                                       r"it offers 'tiny', 'DEM', 'other'") as caught:
        mshub.load(uid("offers_none"), pretrained=False)
    assert caught.value.kind == "no-name"
