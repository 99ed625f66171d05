"""Keywords a directory's eval script gives the hub conf's class for one card (``hub/data/conf_arguments.json``):
AlexNet at r1.5 to r1.8 evaluates ImageNet with ``off_load=True``, which moves the normalization into the
network; the hub conf's default does not. The zoo stand-in is of our own writing."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from zoo_repos import build_repos, stand_in_card

import hub

ms = pytest.importorskip("mindspore")

NET = '''
import numpy as np
import mindspore as ms
import mindspore.nn as nn
import mindspore.ops as ops
from mindspore import Tensor


class AlexNet(nn.Cell):
    def __init__(self, num_classes=10, phase="train", off_load=False):
        super().__init__()
        self.off_load = off_load
        self.mean = Tensor(np.array([120.0, 110.0, 100.0]).reshape((1, 1, 1, 3)), ms.float32)
        self.conv = nn.Conv2d(3, 4, 3, stride=2)
        self.fc = nn.Dense(4, num_classes)

    def construct(self, x):
        if self.off_load:
            x = ops.transpose((ops.cast(x, ms.float32) - self.mean) / 64.0, (0, 3, 1, 2))
        return self.fc(self.conv(x).mean(axis=(2, 3)))
'''
CONF = '''
from src.alexnet import AlexNet


def create_network(name, *args, **kwargs):
    return AlexNet(*args, **kwargs)
'''
EVAL = '''
import argparse

import mindspore.dataset as ds
import mindspore.dataset.vision as vision
from mindspore import load_checkpoint, load_param_into_net

from src.alexnet import AlexNet

parser = argparse.ArgumentParser()
parser.add_argument("--dataset_name", default="imagenet")
parser.add_argument("--data_path", default="/nonexistent/imagenet/val")
parser.add_argument("--ckpt_path", default="")
args = parser.parse_args()

if args.dataset_name == "imagenet":
    network = AlexNet(1000, phase="test", off_load=True)
    data = ds.ImageFolderDataset(args.data_path)
    data = data.map([vision.Decode(), vision.Resize((20, 20)), vision.CenterCrop(16)], input_columns="image")
    load_param_into_net(network, load_checkpoint(args.ckpt_path))
    for row in data.batch(1).create_dict_iterator():
        print(network(row["image"]))
'''
DIRECTORY = "official/cv/alexnet"


@pytest.fixture(scope="module")
def alexnet_git_config(tmp_path_factory):
    files = {f"{DIRECTORY}/mindspore_hub_conf.py": CONF, f"{DIRECTORY}/src/alexnet.py": NET,
             f"{DIRECTORY}/eval.py": EVAL}
    catalog = {f"mshub_res/assets/mindspore/{v}/alexnet_{d}.md": stand_in_card("alexnet", f"r{v}", DIRECTORY,
                                                                               f"alexnet_{d}.ckpt", d)
               for v in ("1.8", "1.9") for d in ("imagenet2012", "cifar10")}
    return build_repos(tmp_path_factory.mktemp("alexnet-repos"),
                       {"r1.8": {"README.md": "zoo stand-in\n", **files}, "r1.9": {"README.md": "zoo r1.9\n"}},
                       catalog)


@pytest.fixture
def alexnet_env(alexnet_git_config, monkeypatch, hub_env, tmp_path):
    from export_repos import use_repos

    return use_repos(alexnet_git_config, monkeypatch, tmp_path)


def test_the_card_gets_the_keywords_its_eval_script_gives_the_class_and_takes_its_pipelines_image(alexnet_env,
                                                                                                 tmp_path):
    uid = "mindspore/1.8/alexnet_imagenet2012"
    net = hub.load(uid, pretrained=False)
    assert net.off_load is True
    assert ("keywords of the card's network as its eval script makes it (official/cv/alexnet/eval.py, dataset_name "
            "imagenet: AlexNet(config.num_classes, phase='test', off_load=True); kept by the hub: the hub conf's "
            "default builds another network): off_load=True") in net.load_report.notes
    image = tmp_path / "photo.png"
    Image.fromarray(np.random.default_rng(2).integers(0, 255, (30, 40, 3), dtype=np.uint8)).save(image)
    x = hub.preprocess(uid)(str(image))
    assert x.shape == (16, 16, 3) and x.dtype == np.uint8  # what the eval pipeline gives: the network normalizes
    assert tuple(net(ms.Tensor(x[None])).shape) == (1, 10)
    (photo,) = net.example_inputs
    assert tuple(photo.shape) == (1, 16, 16, 3)


def test_the_callers_keywords_win_and_other_cards_get_none(alexnet_env):
    mine = hub.load("mindspore/1.8/alexnet_imagenet2012", pretrained=False, off_load=False)
    assert mine.off_load is False and not any(n.startswith("keywords of") for n in mine.load_report.notes)
    other = hub.load("mindspore/1.8/alexnet_cifar10", pretrained=False)  # another card of the directory
    assert other.off_load is False and not any(n.startswith("keywords of") for n in other.load_report.notes)
    later = hub.load("mindspore/1.9/alexnet_imagenet2012", pretrained=False)  # a release the table does not hold
    assert later.off_load is False
