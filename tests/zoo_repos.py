"""Small git repositories standing in for the model zoo and the hub, reached through git's
``url.<base>.insteadOf`` in a private git config (as an intranet mirror would be)."""
from __future__ import annotations

import subprocess
from pathlib import Path

from audit_catalog import card_text

LENET = '''
import mindspore.nn as nn
from src.model_utils.config import config


class LeNet5(nn.Cell):
    def __init__(self, num_class=10, num_channel=1):
        super().__init__()
        self.conv1 = nn.Conv2d(num_channel, 6, 5, pad_mode="valid")
        self.conv2 = nn.Conv2d(6, 16, 5, pad_mode="valid")
        self.relu = nn.ReLU()
        self.pool = nn.MaxPool2d(kernel_size=2, stride=2)
        self.flatten = nn.Flatten()
        self.fc = nn.Dense(16 * 5 * 5, num_class)

    def construct(self, x):
        x = self.pool(self.relu(self.conv1(x)))
        x = self.pool(self.relu(self.conv2(x)))
        return self.fc(self.flatten(x))
'''
CONFIG = '''
import argparse
parser = argparse.ArgumentParser()
parser.add_argument("--device_target", default="CPU")
config = parser.parse_args()  # the zoo's configs parse sys.argv at import
'''
HUB_CONF = '''
from src.{module} import {cls}


def create_network(name, *args, **kwargs):
    if name == "{name}":
        return {cls}(*args, **kwargs)
    raise NotImplementedError(f"{{name}} is not implemented in the repo")
'''
RESNET = '''
import mindspore.nn as nn
from model_utils.width import WIDTH


class ResNet(nn.Cell):
    def __init__(self, class_num=1000):
        super().__init__()
        self.stem = nn.Conv2d(3, WIDTH, 3)
        self.head = nn.Dense(WIDTH, class_num)

    def construct(self, x):
        return self.head(self.stem(x).mean(axis=(2, 3)))
'''
GOOGLENET = '''
import mindspore.nn as nn


class GoogleNet(nn.Cell):
    def __init__(self, num_classes):
        super().__init__()
        self.fc = nn.Dense(8, num_classes)

    def construct(self, x):
        return self.fc(x)
'''


def git(*args: str, cwd: Path | None = None, env: dict | None = None, input: str | None = None) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True,
                          input=input).stdout


def _commit_tree(work: Path, files: dict[str, str], message: str) -> None:
    for rel, text in files.items():
        path = work / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    git("add", "-A", cwd=work)
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", message, cwd=work)


def zoo_files(width: int) -> dict[str, str]:
    lenet = "official/cv/lenet/"
    resnet = "official/cv/resnet/"
    return {
        "README.md": "model zoo stand-in\n",
        lenet + "mindspore_hub_conf.py": HUB_CONF.format(module="lenet", cls="LeNet5", name="lenet"),
        lenet + "src/lenet.py": LENET,  # src and src/model_utils are namespace packages here
        lenet + "src/model_utils/config.py": CONFIG,
        resnet + "mindspore_hub_conf.py": HUB_CONF.format(module="resnet", cls="ResNet", name="resnet50"),
        resnet + "src/__init__.py": "",
        resnet + "src/resnet.py": RESNET,
        resnet + "model_utils/__init__.py": "",
        resnet + "model_utils/width.py": f"WIDTH = {width}\n",
        "official/cv/googlenet/mindspore_hub_conf.py": HUB_CONF.format(module="googlenet", cls="GoogleNet",
                                                                       name="googlenet"),
        "official/cv/googlenet/src/googlenet.py": GOOGLENET,
        "official/cv/needspkg/mindspore_hub_conf.py": "import zoodep\n\ndef create_network(name):\n    pass\n",
        "official/cv/needspkg/requirements.txt": "numpy\nzoodep==1.9\n",
        "official/cv/stale/mindspore_hub_conf.py": "from src.config import cfg\n",
        "official/cv/stale/src/net.py": "X = 1\n",
        "official/cv/nohubconf/train.py": "print('train')\n",
    }


CARDS = {  # uid -> (model name, release, directory)
    "mindspore/1.7/lenet_mnist": ("lenet", "r1.7", "lenet"),
    "mindspore/1.7/resnet50_imagenet2012": ("resnet50", "r1.7", "resnet"),
    "mindspore/1.8/resnet50_imagenet2012": ("resnet50", "r1.8", "resnet"),
    "mindspore/1.7/googlenet_cifar10": ("googlenet", "r1.7", "googlenet"),
    "mindspore/1.7/needspkg_x": ("needspkg", "r1.7", "needspkg"),
    "mindspore/1.7/stale_x": ("stale", "r1.7", "stale"),
    "mindspore/1.7/nohubconf_x": ("nohubconf", "r1.7", "nohubconf"),
    "mindspore/1.7/wrongname_x": ("vgg16", "r1.7", "lenet"),
}


SEED_LINK = "<https://gitee.com/mindspore/models/tree/r1.7/official/cv/ssd>"  # the seed card's repo-link


def stand_in_card(model_name: str, release: str, code_dir: str, ckpt_file: str, dataset: str | None = None,
                  sha256: str = "a" * 64) -> str:
    """The seed card as a card of a stand-in zoo: its model name, its checkpoint (``ckpt_file`` under
    download.mindspore.cn/models/<release>/), its code directory (``official/cv/x``) at ``release``, and its
    train dataset when given."""
    text = card_text([("ckpt", f"https://download.mindspore.cn/models/{release}/{ckpt_file}", sha256)])
    text = text.replace("model-name: ssd", f"model-name: {model_name}", 1)
    if dataset is not None:
        text = text.replace("train-dataset: coco2017", f"train-dataset: {dataset}", 1)
    return text.replace(SEED_LINK, f"<https://gitee.com/mindspore/models/tree/{release}/{code_dir}>")


def zoo_card(uid: str) -> str:
    name, release, directory = CARDS[uid]
    stem = uid.rsplit("/", 1)[1]
    text = stand_in_card(name, release, f"official/cv/{directory}", f"{stem}.ckpt")
    if "googlenet" in uid:
        text += "\n```python\nnetwork = mshub.load(model, num_classes=10)\n```\n"
    return text


def make_repos(root: Path) -> Path:
    """Bare repositories ``models.git`` (branches r1.7, r1.8) and ``hub.git``; returns a git config file
    that maps the public URLs onto them."""
    return build_repos(root, {"r1.7": zoo_files(width=16), "r1.8": zoo_files(width=24)},
                       {f"mshub_res/assets/{uid}.md": zoo_card(uid) for uid in CARDS})


def build_repos(root: Path, zoo_branches: dict[str, dict[str, str]], catalog: dict[str, str]) -> Path:
    """Bare ``models.git`` with one branch per entry of ``zoo_branches`` (each built on the one before)
    and ``hub.git`` (master) holding ``catalog``; returns a git config mapping the public URLs onto them."""
    work = root / "zoo-work"
    work.mkdir(parents=True)
    for index, (branch, files) in enumerate(zoo_branches.items()):
        if index == 0:
            git("init", "-q", "-b", branch, cwd=work)
        else:
            git("checkout", "-q", "-b", branch, cwd=work)
        _commit_tree(work, files, branch)
    git("clone", "-q", "--bare", str(work), str(root / "models.git"))
    hub = root / "hub-work"
    hub.mkdir()
    git("init", "-q", "-b", "master", cwd=hub)
    hub_code = {"README.md": "hub stand-in\n", "mshub/__init__.py": "# the hub's own code: not fetched\n"}
    _commit_tree(hub, catalog | hub_code, "catalog")
    git("clone", "-q", "--bare", str(hub), str(root / "hub.git"))
    config = root / "gitconfig"
    config.write_text(
        f'[url "file://{root / "models.git"}"]\n\tinsteadOf = https://gitee.com/mindspore/models.git\n'
        f'[url "file://{root / "hub.git"}"]\n\tinsteadOf = https://gitee.com/mindspore/hub.git\n'
        "[uploadpack]\n\tallowFilter = true\n")
    return config
