"""A model zoo stand-in of our own writing for preprocessing, labels and predictions: image directories whose
eval scripts build their datasets as the zoo's do (a YAML config per card chosen by ``--config_path``, several
eval pipelines in one ``src/dataset.py`` chosen by the config's ``net_name`` and ``dataset``, CIFAR-10 and
MNIST datasets of decoded images, a segmentation set), with export scripts that build their networks."""
from __future__ import annotations

from export_repos import CONFIG
from zoo_repos import build_repos, stand_in_card

RELEASE = "r1.10"
NET = '''
import mindspore.nn as nn


class VisionNet(nn.Cell):
    """A small classifier of any input size (global mean pooling)."""

    def __init__(self, class_num=10, channels=3):
        super().__init__()
        self.conv = nn.Conv2d(channels, 8, 3, stride=2)
        self.relu = nn.ReLU()
        self.fc = nn.Dense(8, class_num)

    def construct(self, x):
        return self.fc(self.relu(self.conv(x)).mean(axis=(2, 3)))


class SegNet(nn.Cell):
    """Class scores per pixel, at the input's size."""

    def __init__(self, num_classes=21):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3)
        self.relu = nn.ReLU()
        self.head = nn.Conv2d(8, num_classes, 1, has_bias=True)

    def construct(self, x):
        return self.head(self.relu(self.conv(x)))
'''
DATASET = '''
"""Eval datasets, one function per kind, chosen by eval.py from the config."""
import mindspore as ms
import mindspore.dataset as ds
import mindspore.dataset.transforms as transforms
import mindspore.dataset.vision as vision


def _finish(data_set, trans, batch_size):
    data_set = data_set.map(operations=trans, input_columns="image", num_parallel_workers=1)
    data_set = data_set.map(operations=transforms.TypeCast(ms.int32), input_columns="label", num_parallel_workers=1)
    return data_set.batch(batch_size, drop_remainder=True)


def create_dataset_imagenet(dataset_path, do_train, batch_size=2, eval_image_size=56):
    data_set = ds.ImageFolderDataset(dataset_path, num_parallel_workers=1, shuffle=False)
    mean = [0.485 * 255, 0.456 * 255, 0.406 * 255]
    std = [0.229 * 255, 0.224 * 255, 0.225 * 255]
    trans = [vision.Decode(), vision.Resize(64), vision.CenterCrop(eval_image_size),
             vision.Normalize(mean=mean, std=std), vision.HWC2CHW()]
    return _finish(data_set, trans, batch_size)


def create_dataset_resnet101(dataset_path, do_train, batch_size=2, eval_image_size=56):
    data_set = ds.ImageFolderDataset(dataset_path, num_parallel_workers=1, shuffle=False)
    mean = [0.475 * 255, 0.451 * 255, 0.392 * 255]
    std = [0.275 * 255, 0.267 * 255, 0.278 * 255]
    trans = [vision.Decode(), vision.Resize(72, vision.Inter.BICUBIC), vision.CenterCrop(eval_image_size),
             vision.Normalize(mean=mean, std=std), vision.HWC2CHW()]
    return _finish(data_set, trans, batch_size)


def create_dataset_se(dataset_path, do_train, batch_size=2, eval_image_size=48):
    data_set = ds.ImageFolderDataset(dataset_path, num_parallel_workers=1, shuffle=False)
    mean = [123.68, 116.78, 103.94]
    trans = [vision.Decode(), vision.Resize(eval_image_size + 12), vision.CenterCrop(eval_image_size),
             vision.Normalize(mean=mean, std=[1.0, 1.0, 1.0]), vision.HWC2CHW()]
    return _finish(data_set, trans, batch_size)


def create_dataset_cifar10(dataset_path, do_train, batch_size=2, eval_image_size=40):
    data_set = ds.Cifar10Dataset(dataset_path, usage="test", shuffle=False)
    trans = [vision.Resize((eval_image_size, eval_image_size)), vision.Rescale(1.0 / 255.0, 0.0),
             vision.Normalize([0.4914, 0.4822, 0.4465], [0.2023, 0.1994, 0.2010]), vision.HWC2CHW()]
    return _finish(data_set, trans, batch_size)
'''
EVAL = '''
import mindspore as ms
import mindspore.nn as nn

from model_utils.config import config
from src.net import VisionNet

if config.net_name == "resnet101":
    from src.dataset import create_dataset_resnet101 as create_dataset
elif config.net_name == "se-resnet50":
    from src.dataset import create_dataset_se as create_dataset
elif config.dataset == "cifar10":
    from src.dataset import create_dataset_cifar10 as create_dataset
else:
    from src.dataset import create_dataset_imagenet as create_dataset


def eval_net():
    dataset = create_dataset(dataset_path=config.data_path, do_train=False, batch_size=config.batch_size,
                             eval_image_size=config.eval_image_size)
    net = VisionNet(class_num=config.class_num)
    param_dict = ms.load_checkpoint(config.checkpoint_file_path)
    ms.load_param_into_net(net, param_dict)
    net.set_train(False)
    model = ms.Model(net, loss_fn=nn.SoftmaxCrossEntropyWithLogits(sparse=True), metrics={"top_1_accuracy"})
    print("result:", model.eval(dataset))


if __name__ == "__main__":
    eval_net()
'''
EXPORT = '''
import numpy as np
import mindspore as ms

from model_utils.config import config
from src.net import VisionNet

net = VisionNet(class_num=config.class_num)
ms.load_checkpoint(config.checkpoint_file_path, net=net)
x = ms.Tensor(np.zeros([1, 3, config.eval_image_size, config.eval_image_size]), ms.float32)
ms.export(net, x, file_name=config.file_name, file_format=config.file_format)
'''


def _yaml(net_name: str, dataset: str, class_num: int, size: int) -> str:
    return (f"net_name: {net_name}\ndataset: {dataset}\nclass_num: {class_num}\neval_image_size: {size}\n"
            "batch_size: 2\ndata_path: /cache/data\ncheckpoint_file_path: ''\nfile_name: net\nfile_format: AIR\n")


CONFIGS = {"resnet50_imagenet2012_config.yaml": _yaml("resnet50", "imagenet2012", 1001, 56),
           "resnet101_imagenet2012_config.yaml": _yaml("resnet101", "imagenet2012", 1001, 56),
           "seresnet50_imagenet2012_config.yaml": _yaml("se-resnet50", "imagenet2012", 1001, 48),
           "resnet50_cifar10_config.yaml": _yaml("resnet50", "cifar10", 10, 40)}
VISION = {"eval.py": EVAL, "export.py": EXPORT, "src/net.py": NET, "src/dataset.py": DATASET,
          "model_utils/__init__.py": "",
          "model_utils/config.py": CONFIG.replace('"..", "default_config.yaml"',
                                                  '"..", "config", "resnet50_imagenet2012_config.yaml"'),
          # the directory ships its CIFAR-10 names (as the zoo's resnet does, in its inference folder)
          "infer/data/config/cifar10.names": "Airplane\nAutomobile\nBird\nCat\nDeer\nDog\nFrog\nHorse\nShip\nTruck",
          **{f"config/{name}": text for name, text in CONFIGS.items()}}

LENET_EVAL = '''
import argparse

import mindspore as ms
import mindspore.dataset as ds
import mindspore.dataset.vision as vision
from mindspore import Model

from src.net import VisionNet

parser = argparse.ArgumentParser()
parser.add_argument("--data_path", default="/data/mnist")
parser.add_argument("--ckpt_path", default=None)
args = parser.parse_args()

net = VisionNet(class_num=10, channels=1)
ms.load_param_into_net(net, ms.load_checkpoint(args.ckpt_path))
model = Model(net)
data = ds.MnistDataset(args.data_path, usage="test")
data = data.map([vision.Resize((32, 32)), vision.Rescale(1 / 0.3081 / 255, -0.1307 / 0.3081), vision.HWC2CHW()],
                input_columns="image")
print(model.eval(data.batch(32)))
'''
SEG_EVAL = '''
import argparse

import mindspore as ms
import mindspore.dataset as ds
import mindspore.dataset.vision as vision

from src.net import SegNet

parser = argparse.ArgumentParser()
parser.add_argument("--data_root", default="/data/VOC2012")
parser.add_argument("--ckpt_path", default=None)
parser.add_argument("--crop_size", type=int, default=24)
args = parser.parse_args()

net = SegNet(num_classes=21)
ms.load_param_into_net(net, ms.load_checkpoint(args.ckpt_path))
data = ds.VOCDataset(args.data_root, task="Segmentation", usage="val")
data = data.map([vision.Decode(), vision.Resize((args.crop_size, args.crop_size)),
                 vision.Normalize([127.5, 127.5, 127.5], [127.5, 127.5, 127.5]), vision.HWC2CHW()],
                input_columns=["image"])
for row in data.create_dict_iterator():
    print(net(row["image"]))
'''
SEG_EXPORT = '''
import numpy as np
import mindspore as ms

from src.net import SegNet

ms.export(SegNet(num_classes=21), ms.Tensor(np.zeros([1, 3, 24, 24]), ms.float32), file_name="seg", file_format="AIR")
'''
SEG_FUNCTION_EVAL = '''
import argparse

import numpy as np
import mindspore as ms

try:
    import cv2
except ImportError:  # the stand-in's images are never read here: its data list is not
    cv2 = None

from src.net import SegNet


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data_lst", default="/data/voc/val_lst.txt")
    parser.add_argument("--ckpt_path", default="")
    parser.add_argument("--crop_size", type=int, default=24)
    parser.add_argument("--image_mean", type=list, default=[103.53, 116.28, 123.675])
    parser.add_argument("--image_std", type=list, default=[57.375, 57.12, 58.395])
    return parser.parse_known_args()[0]


def pre_process(args, img_, crop_size=513):
    """The long side to crop_size (nearest), mean and std, zero padding to a square, CHW."""
    height, width = img_.shape[:2]
    scale = crop_size / max(height, width)
    rows = np.minimum((np.arange(int(height * scale)) / scale).astype(int), height - 1)
    cols = np.minimum((np.arange(int(width * scale)) / scale).astype(int), width - 1)
    img_ = (img_[rows][:, cols] - np.array(args.image_mean)) / np.array(args.image_std)
    padded = np.zeros((crop_size, crop_size, 3))
    padded[:img_.shape[0], :img_.shape[1]] = img_
    return padded.transpose(2, 0, 1), img_.shape[0], img_.shape[1]


def net_eval():
    args = parse_args()
    with open(args.data_lst) as f:
        lines = f.readlines()
    net = SegNet(num_classes=21)
    ms.load_param_into_net(net, ms.load_checkpoint(args.ckpt_path))
    for line in lines:
        img, _, _ = pre_process(args, cv2.imread(line.strip()), args.crop_size)
        print(net(ms.Tensor(img[None], ms.float32)))


if __name__ == "__main__":
    net_eval()
'''
RECORD_DATA = '''
import io

import numpy as np
import mindspore.dataset as ds
from PIL import Image


def normalize(image, label):
    """A record's image and mask are their files' bytes: decoded here (as Auto-DeepLab's cv2.imdecode does)."""
    image = np.asarray(Image.open(io.BytesIO(image.tobytes())).convert("RGB"), np.float32)
    label = np.asarray(Image.open(io.BytesIO(label.tobytes())), np.int32)
    label = label * np.ones(label.shape, dtype=np.bool)  # a name NumPy 1.24 removed, as 1.x-era zoo code has
    image = (image / 255.0 - (0.485, 0.456, 0.406)) / (0.229, 0.224, 0.225)
    return image.transpose(2, 0, 1).astype(np.float32), label


def scaled(image):
    return image * 2


def record_dataset(path, decode=True):
    data = ds.MindDataset(path, columns_list=["image", "label"], shuffle=False)
    if decode:
        return data.map(operations=normalize, input_columns=["image", "label"], output_columns=["image", "label"])
    return data.map(operations=scaled, input_columns=["image"])
'''
RECORD_EVAL = '''
import argparse

import mindspore as ms

from src.data import record_dataset
from src.net import SegNet

parser = argparse.ArgumentParser()
parser.add_argument("--mindrecord", default="/data/cityscapes/val.mindrecord")
parser.add_argument("--ckpt_path", default="")
parser.add_argument("--decode", type=int, default=DECODE)
args = parser.parse_args()

data = record_dataset(args.mindrecord, bool(args.decode)).batch(1)
net = SegNet(num_classes=19)
ms.load_param_into_net(net, ms.load_checkpoint(args.ckpt_path))
for row in data.create_dict_iterator():
    print(net(row["image"]))
'''
NOISE_NET = '''
import mindspore.nn as nn


class Generator(nn.Cell):
    """A GAN's generator: a noise vector in, a 4x4 image out."""

    def __init__(self, latent=16):
        super().__init__()
        self.fc = nn.Dense(latent, 3 * 4 * 4)

    def construct(self, z):
        return self.fc(z).reshape((-1, 3, 4, 4))
'''
NOISE_EXPORT = '''
import numpy as np
import mindspore as ms

from src.net import Generator

ms.export(Generator(16), ms.Tensor(np.zeros([4, 16]), ms.float32), file_name="gen", file_format="MINDIR")
'''
DETECT_EVAL = '''
import mindspore.dataset as ds
from src.net import VisionNet
data = ds.CocoDataset("/data/coco", annotation_file="/data/coco/val.json")
'''
READS_FILES_EVAL = '''
import cv2
from src.net import VisionNet
net = VisionNet(class_num=10)
for path in open("/data/list.txt"):
    print(net(cv2.imread(path)))
'''
SIMPLE_EVAL = '''
import argparse

import mindspore.dataset as ds
import mindspore.dataset.vision as vision

from src.net import VisionNet

parser = argparse.ArgumentParser()
parser.add_argument("--data_path", default="/data/imagenet/val")
parser.add_argument("--checkpoint_path", default="")
args = parser.parse_args()

data = ds.ImageFolderDataset(args.data_path)
trans = [vision.Decode(), vision.Resize(40), vision.CenterCrop(32), vision.Rescale(1 / 255, 0), vision.HWC2CHW()]
data = data.map(trans, input_columns="image")
ds.config.set_num_parallel_workers(48)  # a cluster's setting: not the user's process's
net = VisionNet(class_num=1001)
for row in data.create_dict_iterator():
    print(net(row["image"]))
'''
# detection: the zoo's own data class over a COCO annotation file, read by GeneratorDataset (the YOLO family's)
COCO_DATA = '''
import os

import numpy as np
from PIL import Image
from pycocotools.coco import COCO
import mindspore.dataset as ds
import mindspore.dataset.vision as vision


class CocoRows:
    """Images indexed by a COCO annotation file, each opened by its file_name under root."""

    def __init__(self, root, ann_file):
        self.coco = COCO(ann_file)
        self.root = root
        self.img_ids = sorted(self.coco.imgs.keys())

    def __getitem__(self, index):
        img_id = self.img_ids[index]
        name = self.coco.loadImgs(img_id)[0]["file_name"]
        img = FIXED if FIXED is not None else Image.open(os.path.join(self.root, name)).convert("RGB")
        return np.array(img), np.array([img_id], np.int32)

    def __len__(self):
        return len(self.img_ids)


def letterbox(image, img_id):
    height, width = image.shape[:2]
    return vision.Resize((24, 32))(image), np.array([height, width], np.float32), img_id


def create_eval_dataset(root, ann_file):
    data = ds.GeneratorDataset(CocoRows(root, ann_file), column_names=["image", "img_id"], shuffle=False)
    data = data.map(operations=letterbox, input_columns=["image", "img_id"],
                    output_columns=["image", "image_shape", "img_id"])
    data = data.map(operations=[vision.Rescale(1 / 255, 0), vision.HWC2CHW()], input_columns=["image"])
    return data.batch(1)
'''
COCO_EVAL = '''
import argparse

import mindspore as ms

from src.coco_data import create_eval_dataset
from src.net import VisionNet

parser = argparse.ArgumentParser()
parser.add_argument("--data_dir", default="/data/coco2017")
parser.add_argument("--annFile", default="/data/coco2017/annotations/instances_val2017.json")
args = parser.parse_args()
net = VisionNet(class_num=80)
ms.load_param_into_net(net, ms.load_checkpoint("yolo.ckpt"))
data = create_eval_dataset(args.data_dir + "/val2017", args.annFile)
for row in data.create_dict_iterator():
    print(net(row["image"]))
'''
# a data option with no value, joined into a path before the dataset is made (ibnnet's ``--eval_url``)
DATA_PATH_EVAL = SIMPLE_EVAL.replace('''parser.add_argument("--data_path", default="/data/imagenet/val")''',
                                     '''parser.add_argument("--eval_url", required=True, type=str)
parser.add_argument("--output_dir", type=str)''').replace(
    "ds.ImageFolderDataset(args.data_path)",
    '''ds.ImageFolderDataset(os.path.join(args.eval_url, "val"))
assert args.output_dir is None  # where results go: no path made up for it''').replace(
    "import argparse", "import argparse\nimport os")
# ViT's eval data: a PaddedDataset of white images (to fill the last batch) before the ImageFolderDataset, one
# sampler over both, the transforms mapped after the concatenation
PADDED_DATA = '''
import io

import numpy as np
import mindspore.dataset as ds
import mindspore.dataset.vision as vision
from PIL import Image


def create_eval_dataset(path, padding=1):
    white = io.BytesIO()
    Image.new("RGB", (16, 16), (255, 255, 255)).save(white, "JPEG")
    sample = {"image": np.frombuffer(white.getvalue(), np.uint8), "label": np.array(-1, np.int32)}
    data = ds.PaddedDataset([sample] * padding) + ds.ImageFolderDataset(path)
    data.use_sampler(ds.DistributedSampler(num_shards=1, shard_id=0, shuffle=False))
    trans = [vision.Decode(), vision.Resize(44), vision.CenterCrop(36), vision.Rescale(1 / 255, 0), vision.HWC2CHW()]
    return data.map(trans, input_columns="image")
'''
PADDED_EVAL = '''
import argparse

from src.net import VisionNet
from src.padded import create_eval_dataset

parser = argparse.ArgumentParser()
parser.add_argument("--data_path", default="/data/imagenet/val")
args = parser.parse_args()
data = create_eval_dataset(args.data_path)
net = VisionNet(class_num=1001)
for row in data.create_dict_iterator():
    print(net(row["image"]))
'''
CONF = '''
from src.net import VisionNet


def create_network(name, *args, **kwargs):
    return VisionNet(class_num=1001)
'''
GRAPHS_NET = '''
import mindspore.nn as nn
from mindspore import context

context.set_context(mode=context.GRAPH_MODE, save_graphs=True)  # at import, as openpose's src does


class GraphsNet(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc = nn.Dense(4, 2)

    def construct(self, x):
        return self.fc(x)
'''
GRAPHS_CONF = '''
import argparse
import sys

import numpy as np
from mindspore import ops

from src.net import GraphsNet

MASK = np.bool  # removed names, looked up at import
GATHER = ops.GatherV2()
sys.argv = ["zoo", "--changed-by-zoo-code"]
argparse.ArgumentParser().parse_args()


def create_network(name, *args, **kwargs):
    return GraphsNet()
'''
# a network whose time grows with the image's side: the photo through the eval pipeline (32 pixels) takes ten
# minutes, the export script's 8 pixels no time (DBPN at its full size beside its export's smaller image)
SLOW_NET = '''
import time

import mindspore.nn as nn


class SlowOnLarge(nn.Cell):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 1)

    def construct(self, x):
        if x.shape[-1] > 8:
            time.sleep(600)
        return self.conv(x)
'''
SLOW_EXPORT = '''
import numpy as np
import mindspore as ms
from mindspore import Tensor, export

from src.slow import SlowOnLarge

if __name__ == "__main__":
    export(SlowOnLarge(), Tensor(np.ones([1, 3, 8, 8]), ms.float32), file_name="slow", file_format="MINDIR")
'''
SLOW = {"mindspore_hub_conf.py": "from src.slow import SlowOnLarge\n\n\ndef create_network(name, *args, **kwargs):\n"
                                 "    return SlowOnLarge()\n",
        "eval.py": SIMPLE_EVAL.replace("from src.net import VisionNet", "from src.slow import SlowOnLarge")
        .replace("VisionNet(class_num=1001)", "SlowOnLarge()"),
        "export.py": SLOW_EXPORT, "src/slow.py": SLOW_NET}
DIRS = {"visionnet": VISION,
        "slowphoto": SLOW,  # no card in the catalog: a test writes its own
        "graphsnet": {"mindspore_hub_conf.py": GRAPHS_CONF, "src/net.py": GRAPHS_NET},
        "confnet": {"mindspore_hub_conf.py": CONF, "eval.py": SIMPLE_EVAL, "src/net.py": NET},
        "padded": {"mindspore_hub_conf.py": CONF, "eval.py": PADDED_EVAL, "src/net.py": NET,
                   "src/padded.py": PADDED_DATA},
        "evalnet": {"eval.py": SIMPLE_EVAL.replace("for row", "ms.load_param_into_net(net, {})\nfor row")
                    .replace("import argparse", "import argparse\n\nimport mindspore as ms"), "src/net.py": NET},
        "lenetm": {"eval.py": LENET_EVAL, "export.py": EXPORT.replace("config.class_num", "10"), "src/net.py": NET},
        "segnet": {"eval.py": SEG_EVAL, "export.py": SEG_EXPORT, "src/net.py": NET},
        "segfunc": {"eval.py": SEG_FUNCTION_EVAL, "export.py": SEG_EXPORT, "src/net.py": NET},
        "recordseg": {"eval.py": RECORD_EVAL.replace("DECODE", "1"), "export.py": SEG_EXPORT, "src/net.py": NET,
                      "src/data.py": RECORD_DATA},
        "recordbad": {"eval.py": RECORD_EVAL.replace("DECODE", "0"), "export.py": SEG_EXPORT, "src/net.py": NET,
                      "src/data.py": RECORD_DATA},
        "noisegen": {"export.py": NOISE_EXPORT, "src/net.py": NOISE_NET},
        "readsfiles": {"eval.py": READS_FILES_EVAL, "src/net.py": NET},
        "detectnet": {"eval.py": DETECT_EVAL, "src/net.py": NET},
        "datapath": {"eval.py": DATA_PATH_EVAL, "src/net.py": NET},
        "cocorows": {"eval.py": COCO_EVAL, "src/net.py": NET, "src/coco_data.py": "FIXED = None\n" + COCO_DATA},
        # a data class that gives the same image whatever the file: not rows the hub can read for an image
        "cocofixed": {"eval.py": COCO_EVAL, "src/net.py": NET,
                      "src/coco_data.py": "import numpy\nFIXED = numpy.zeros((30, 40, 3), numpy.uint8)\n" + COCO_DATA}}
CARDS = {  # uid stem -> (model name, directory, dataset)
    "resnet50_imagenet2012": ("resnet50", "visionnet", "imagenet2012"),
    "resnet101_imagenet2012": ("resnet101", "visionnet", "imagenet2012"),
    "seresnet50_imagenet2012": ("seresnet50", "visionnet", "imagenet2012"),
    "resnet50_cifar10": ("resnet50", "visionnet", "cifar10"),
    "lenet_mnist": ("lenet", "lenetm", "mnist"),
    "segnet_voc2012": ("segnet", "segnet", "voc2012"),
    "segfunc_voc2012": ("segfunc", "segfunc", "voc2012"),
    "recordseg_cityscapes": ("recordseg", "recordseg", "cityscapes"),
    "recordbad_cityscapes": ("recordbad", "recordbad", "cityscapes"),
    "noisegen_mnist": ("noisegen", "noisegen", "mnist"),
    "readsfiles_cifar10": ("readsfiles", "readsfiles", "cifar10"),
    "detectnet_coco2017": ("detectnet", "detectnet", "coco2017"),
    "textnet_sst2": ("textnet", "detectnet", "sst2"),
    "confnet_imagenet2012": ("confnet", "confnet", "imagenet2012"),
    "padded_imagenet2012": ("padded", "padded", "imagenet2012"),
    "graphsnet_cifar10": ("graphsnet", "graphsnet", "cifar10"),
    "evalnet_imagenet2012": ("evalnet", "evalnet", "imagenet2012"),
    "datapath_imagenet2012": ("datapath", "datapath", "imagenet2012"),
    "cocorows_coco2017": ("cocorows", "cocorows", "coco2017"),
    "cocofixed_coco2017": ("cocofixed", "cocofixed", "coco2017"),
}
BASE = "official/cv/"


def uid(stem: str) -> str:
    return f"mindspore/1.10/{stem}"


def vision_card(stem: str, sha256: str = "a" * 64) -> str:
    name, directory, dataset = CARDS[stem]
    return stand_in_card(name, RELEASE, BASE + directory, f"{stem}.ckpt", dataset, sha256)


def make_vision_repos(root):
    files = {BASE + d + "/" + rel: text for d, tree in DIRS.items() for rel, text in tree.items()}
    catalog = {f"mshub_res/assets/{uid(stem)}.md": vision_card(stem) for stem in CARDS}
    return build_repos(root, {RELEASE: {"README.md": "zoo stand-in\n", **files}}, catalog)
