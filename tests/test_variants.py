"""A card gets its own variant of a zoo directory's network: an option that selects the network, a
config file per variant, a card named after none (the default stays, flagged), the checkpoint choosing
among the variants, and a checkpoint of another network failing on its unused entries. The zoo
stand-in is written here (bare git repositories behind a private git config), checkpoints are served
from a local server."""
from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import pytest
from export_repos import CONFIG
from export_repos import use_repos as sync_from
from http_faults import checkpoints_published
from zoo_repos import build_repos, stand_in_card

import mindspore_hub as mshub
from hub.errors import CheckpointError, HubError

pytestmark = pytest.mark.network  # builds MindSpore networks

NET = '''
import mindspore.nn as nn


class Stack(nn.Cell):
    """depth blocks after a stem: a deeper Stack's parameter names include a shallower one's."""

    def __init__(self, depth=1, num_classes=10):
        super().__init__()
        self.stem = nn.Conv2d(3, 4, 3)
        self.blocks = nn.SequentialCell([nn.Conv2d(4, 4, 3) for _ in range(depth)])
        self.fc = nn.Dense(4, num_classes)

    def construct(self, x):
        return self.fc(self.blocks(self.stem(x)).mean(axis=(2, 3)))
'''
OPTION_EXPORT = '''
import argparse

import numpy as np
import mindspore as ms
from mindspore import Tensor, export, load_checkpoint

from src.net import Stack

parser = argparse.ArgumentParser(description="export")
parser.add_argument("--net", type=str, default="stack_small", help="stack_small, stack_large")
parser.add_argument("--dataset", type=str, default="cifar10", help="cifar10, cifar100")
parser.add_argument("--ckpt_file", type=str, required=True)
parser.add_argument("--file_format", default="AIR", choices=["AIR", "MINDIR"])
args = parser.parse_args()

if __name__ == "__main__":
    if args.net == "stack_small":
        depth = 1
    elif args.net == "stack_large":
        depth = 3
    elif args.net == "stack_broken":
        raise RuntimeError("stack_broken needs a data file this machine does not have")
    else:
        raise ValueError("network is not supported")
    classes = 100 if args.dataset == "cifar100" else 10
    net = Stack(depth, classes)
    load_checkpoint(args.ckpt_file)
    export(net, Tensor(np.ones([1, 3, 8, 8]), ms.float32), file_name="stack", file_format=args.file_format)
'''
CONFIG_EXPORT = '''
import numpy as np
import mindspore as ms
from mindspore import Tensor, export

from model_utils.config import config
from src.net import Stack

if __name__ == "__main__":
    export(Stack(config.depth, config.num_classes), Tensor(np.ones([1, 3, 8, 8]), ms.float32), file_name="s",
           file_format=config.file_format)
'''
SINGLE_EXPORT = '''
import numpy as np
import mindspore as ms
from mindspore import Tensor, export

from src.net import Stack

if __name__ == "__main__":
    export(Stack(1), Tensor(np.ones([1, 3, 8, 8]), ms.float32), file_name="s", file_format="MINDIR")
'''

# argparse for the command line, then the YAML named by ``--stack_cfg`` merged only when ``sys.argv`` holds
# options, and the checkpoint loaded from ``--pretrained`` (no checkpoint word in its name)
ARGV_EXPORT = '''
import argparse
import sys

import numpy as np
import yaml
import mindspore as ms
from mindspore import Tensor, export, load_checkpoint, load_param_into_net

from src.net import Stack

parser = argparse.ArgumentParser(description="export")
parser.add_argument("--stack_cfg", default=None, required=True, help="the YAML of the variant")
parser.add_argument("--pretrained", type=str, default=None)
parser.add_argument("--file_format", default="AIR", choices=["AIR", "MINDIR"])
parser.add_argument("--depth", type=int, default=1)
args = parser.parse_args()
if len(sys.argv) > 1:  # a notebook has no command line: the defaults
    with open(args.stack_cfg) as f:
        loaded = yaml.safe_load(f)
    given = [a[2:] for a in sys.argv[1:] if a.startswith("--")]
    args.__dict__.update({k: v for k, v in loaded.items() if k not in given})

if __name__ == "__main__":
    assert args.pretrained is not None, "no checkpoint to export"
    net = Stack(args.depth)
    not_loaded = load_param_into_net(net, load_checkpoint(args.pretrained))
    if not_loaded:  # 1.x gave the list of parameters not loaded
        raise ValueError("Load param into network fail!")
    missing, unused = load_param_into_net(net, {})  # 2.x gives a pair
    export(net, Tensor(np.ones([1, 3, 8, 8]), ms.float32), file_name="s", file_format=args.file_format)
'''
# a hub conf whose config module parses the command line at import (the zoo's style), as MindSpore Hub imports it
HUB_CONF = '''
from model_utils.config import config
from src.net import Stack


def create_network(name, *args, **kwargs):
    if name.startswith("stack"):
        return Stack(config.depth, config.num_classes)
    raise NotImplementedError(f"{name} is not implemented in the repo")
'''


def yaml_of(depth: int) -> str:
    return f"depth: {depth}\nnum_classes: 10\nckpt_file: ''\nfile_format: AIR\n"


UNSET_CONFIG = CONFIG.replace('default=os.path.join(here, "..", "default_config.yaml")', 'type=str, default=None')
assert UNSET_CONFIG != CONFIG

BASE = "research/cv/"
RELEASE = "r1.9"
DIRS = {
    "byoption": {"export.py": OPTION_EXPORT, "src/net.py": NET},
    "byconfig": {"export.py": CONFIG_EXPORT, "src/net.py": NET, "model_utils/__init__.py": "",
                 "model_utils/config.py": CONFIG, "default_config.yaml": yaml_of(1),
                 "stack_small.yaml": yaml_of(1), "stack_large.yaml": yaml_of(3)},
    "single": {"export.py": SINGLE_EXPORT, "src/net.py": NET},
    # a config option without a default (the script cannot run unset), one file per variant in config/
    "unsetconfig": {"export.py": CONFIG_EXPORT, "src/net.py": NET, "model_utils/__init__.py": "",
                    "model_utils/config.py": UNSET_CONFIG, "config/Stack-N0_cifar10_config_v2.yaml": yaml_of(1),
                    "config/Stack-N1_cifar10_config_v2.yaml": yaml_of(2),
                    "config/Stack-N1-S1_cifar10_config_v2.yaml": yaml_of(3),
                    "config/Stack-N2_cifar10_config_v2.yaml": "num_classes: 10\nfile_format: AIR\n"},  # no depth
    "byhubconf": {"mindspore_hub_conf.py": HUB_CONF, "src/net.py": NET, "model_utils/__init__.py": "",
                  "model_utils/config.py": CONFIG, "default_config.yaml": yaml_of(1), "stack_large.yaml": yaml_of(3),
                  "stack_broken.yaml": "depth: deep\nnum_classes: 10\n"},
    "hubconfsingle": {"mindspore_hub_conf.py": HUB_CONF, "src/net.py": NET, "model_utils/__init__.py": "",
                      "model_utils/config.py": CONFIG, "default_config.yaml": yaml_of(2)},
    "byargv": {"export.py": ARGV_EXPORT, "src/net.py": NET, "configs/stack_deep_cifar10.yaml": "depth: 4\n"},
}
# uid stem -> (directory, model-name, train-dataset)
CARDS = {
    "stacklarge_cifar10": ("byoption", "Stack_Large", "cifar10"),
    "stacksmall_cifar100": ("byoption", "stack_small", "cifar100"),
    "stack_cifar10": ("byoption", "stack", "cifar10"),
    "stackbroken_cifar10": ("byoption", "stack_broken", "cifar10"),
    "stacklargecfg_cifar10": ("byconfig", "stack-large", "cifar10"),
    "stackcfg_cifar10": ("byconfig", "stack", "cifar10"),
    "single_cifar10": ("single", "stack", "cifar10"),
    "stack_N1_cifar10": ("unsetconfig", "Stack", "cifar10"),
    "stack_N1S1_cifar10": ("unsetconfig", "Stack", "cifar10"),
    "stack_N2_cifar10": ("unsetconfig", "Stack", "cifar10"),
    "stackdeep_cifar10": ("byargv", "stack_deep", "cifar10"),
    "stacklargehub_cifar10": ("byhubconf", "stack_large", "cifar10"),
    "stackhub_cifar10": ("byhubconf", "stack", "cifar10"),
    "stackbrokenhub_cifar10": ("byhubconf", "stack_broken", "cifar10"),
    "stackone_cifar10": ("hubconfsingle", "stack", "cifar10"),
    "stackoneother_cifar10": ("hubconfsingle", "stack_other", "cifar10"),
}


def card_of(stem: str, sha256: str = "a" * 64) -> str:
    directory, model_name, dataset = CARDS[stem]
    return stand_in_card(model_name, RELEASE, BASE + directory, f"{stem}.ckpt", dataset, sha256)


def uid(stem: str) -> str:
    return f"mindspore/1.9/{stem}"


@pytest.fixture(scope="module")
def variant_git_config(tmp_path_factory):
    files = {BASE + d + "/" + rel: text for d, tree in DIRS.items() for rel, text in tree.items()}
    catalog = {f"mshub_res/assets/{uid(stem)}.md": card_of(stem) for stem in CARDS}
    return build_repos(tmp_path_factory.mktemp("variant-repos"), {RELEASE: {"README.md": "stand-in\n", **files}},
                       catalog)


@pytest.fixture
def zoo(variant_git_config, monkeypatch, hub_env, tmp_path):
    return sync_from(variant_git_config, monkeypatch, tmp_path)


@pytest.fixture
def served(zoo, monkeypatch, tmp_path):
    """``publish(stem, network)``: the card ``stem`` now publishes ``network``'s checkpoint."""
    with checkpoints_published(tmp_path, monkeypatch, RELEASE, lambda stem, sha: (f"{stem}.md", card_of(stem, sha)),
                               0.5) as publish:
        yield publish


def depth(net) -> int:
    return len(net.blocks)


def notes(net) -> str:
    return " | ".join(net.load_report.notes)


def test_an_option_that_selects_the_network_gets_the_cards_model_name(zoo):
    net = mshub.load(uid("stacklarge_cifar10"), pretrained=False)  # model-name Stack_Large, default stack_small
    assert depth(net) == 3 and net.fc.weight.shape[0] == 10
    assert "variant set from the card ('Stack_Large'): net='stack_large'" in notes(net)
    small = mshub.load(uid("stacksmall_cifar100"), pretrained=False)  # and the dataset option the card's dataset
    assert depth(small) == 1 and small.fc.weight.shape[0] == 100
    assert "dataset set from the card (cifar100): dataset='cifar100'" in notes(small)


def test_a_card_variant_that_does_not_build_falls_back_to_the_default(zoo):
    net = mshub.load(uid("stackbroken_cifar10"), pretrained=False)
    assert depth(net) == 1
    assert ("the card's own options did not build: net='stack_broken', dataset='cifar10' (RuntimeError: stack_broken "
            "needs a data file") in notes(net) and "built with the script's defaults" in notes(net)


def test_the_callers_option_wins_over_the_card(zoo):
    net = mshub.load(uid("stacklarge_cifar10"), pretrained=False, net="stack_small")
    assert depth(net) == 1
    assert "net='stack_large'" not in notes(net) and "options set: net='stack_small'" in notes(net)


def test_a_config_file_per_variant_is_chosen_by_the_model_name(zoo):
    net = mshub.load(uid("stacklargecfg_cifar10"), pretrained=False)  # stack_large.yaml, not default_config.yaml
    assert depth(net) == 3
    assert "config_path='stack_large.yaml'" in notes(net)


@pytest.mark.parametrize("stem, blocks, chosen", [("stack_N1_cifar10", 2, "Stack-N1_cifar10_config_v2.yaml"),
                                                  ("stack_N1S1_cifar10", 3, "Stack-N1-S1_cifar10_config_v2.yaml")])
def test_a_config_option_without_a_default_gets_the_file_named_after_the_card(zoo, stem, blocks, chosen):
    net = mshub.load(uid(stem), pretrained=False)  # N1 is not N1-S1: the fewest words left over
    assert depth(net) == blocks
    assert f"variant set from the card ('Stack'): config_path='config/{chosen}'" in notes(net)


def test_sys_argv_shows_the_command_line_and_a_loaded_option_gets_the_placeholder(zoo):
    """A script that merges its YAML only when ``sys.argv`` holds options, and loads its checkpoint from
    ``--pretrained``: it builds the card's variant, and the user's ``sys.argv`` is as it was."""
    import sys

    argv = list(sys.argv)
    net = mshub.load(uid("stackdeep_cifar10"), pretrained=False)
    assert depth(net) == 4 and "stack_cfg='configs/stack_deep_cifar10.yaml'" in notes(net)
    assert sys.argv == argv


def test_a_hub_conf_gets_the_cards_variant_and_each_variant_its_own_import(zoo):
    """The config a hub conf imports is parsed with the card's choices, once per variant: cards of one directory
    loaded one after another each get their own, and a kept import still says what was chosen."""
    large = mshub.load(uid("stacklargehub_cifar10"), pretrained=False)  # stack_large.yaml, not default_config.yaml
    assert depth(large) == 3 and "variant set from the card ('stack_large'): config_path='stack_large.yaml'" in notes(
        large)
    plain = mshub.load(uid("stackhub_cifar10"), pretrained=False)
    assert depth(plain) == 1 and "no variant is named after the card ('stack')" in notes(plain)
    again = mshub.load(uid("stacklargehub_cifar10"), pretrained=False)  # the kept import of that variant
    assert depth(again) == 3 and "config_path='stack_large.yaml'" in notes(again)
    assert type(again) is type(large) and type(plain) is not type(large)  # the same import, another one
    assert {"config_path": "default_config.yaml"} in [  # the other variants, for the checkpoint to choose among
        {k: v.rsplit("/", 1)[-1] for k, v in alternative.items()} for alternative in large.zoo_variants]


def test_a_hub_conf_variant_that_does_not_build_falls_back_to_the_defaults(zoo):
    net = mshub.load(uid("stackbrokenhub_cifar10"), pretrained=False)  # stack_broken.yaml: depth "deep"
    assert depth(net) == 1
    assert "the card's own options did not build: config_path='stack_broken.yaml'" in notes(net)
    assert "built with the script's defaults" in notes(net)


def test_a_hub_conf_with_nothing_to_choose_is_imported_once_for_its_cards(zoo, capfd):
    first = mshub.load(uid("stackone_cifar10"), pretrained=False)
    other = mshub.load(uid("stackoneother_cifar10"), pretrained=False)
    assert depth(first) == depth(other) == 2 and type(first) is type(other)
    assert capfd.readouterr().err.count("config: {") == 1  # the config module ran once (its print on stderr)


def test_the_cards_config_file_failing_is_the_error_not_the_unset_default(zoo):
    with pytest.raises(HubError) as caught:  # the defaults cannot run (no config file): not tried
        mshub.load(uid("stack_N2_cifar10"), pretrained=False)
    assert "AttributeError" in str(caught.value) and "depth" in str(caught.value)
    assert "has no value (None)" not in str(caught.value)


@pytest.mark.parametrize("stem, offered", [("stack_cifar10", "stack_large, stack_small"),
                                           ("stackcfg_cifar10", "default_config.yaml, stack_large.yaml")])
def test_a_card_named_after_no_variant_keeps_the_default_and_says_so(zoo, stem, offered):
    net = mshub.load(uid(stem), pretrained=False)
    assert depth(net) == 1
    assert "no variant is named after the card ('stack')" in notes(net) and offered in notes(net)


def test_the_checkpoint_chooses_among_the_variants(served):
    from hub.loader import build_and_load, resolve_card

    for stem in ("stack_cifar10", "stackcfg_cifar10"):  # named after no variant: the default is the small one
        expected = served(stem, mshub.load(uid("stacklarge_cifar10"), pretrained=False))
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # the large checkpoint loads whole: nothing to warn about
            net = mshub.load(uid(stem))
        assert depth(net) == 3
        loaded = {p.name for p in net.get_parameters() if (p.asnumpy() == expected[p.name]).all()}
        assert loaded == set(expected) and not net.load_report.unused
        assert "does not take the checkpoint whole; the directory's variant" in net.load_report.notes[0]
    # with the checkpoint the small variant was saved from, the default stays and nothing else is built
    served("stack_cifar10", mshub.load(uid("stack_cifar10"), pretrained=False))
    loaded = build_and_load(resolve_card(uid("stack_cifar10")), weights=lambda: (
        __import__("hub").load_weights(uid("stack_cifar10")), "served"))
    assert depth(loaded.network) == 1 and loaded.built.variants_tried == []


def test_a_checkpoint_of_another_network_fails_naming_its_unused_entries(served):
    served("single_cifar10", mshub.load(uid("stacklarge_cifar10"), pretrained=False))
    with pytest.raises(CheckpointError) as caught:  # the single network takes stem, blocks.0, fc: 2 blocks left
        mshub.load(uid("single_cifar10"))
    message = str(caught.value)
    assert "2 of its entries are unused: blocks.1.weight, blocks.2.weight" in message
    assert "Variants of the directory tried: none" in message and "strict=False" in message
    with pytest.warns(UserWarning, match="2 of its entries unused"):  # a partial load, asked for
        net = mshub.load(uid("single_cifar10"), strict=False)
    assert net.load_report.unused == ["blocks.1.weight", "blocks.2.weight"]
    with pytest.raises(CheckpointError, match="strict=True"):
        mshub.load(uid("single_cifar10"), strict=True)


def test_variants_tried_are_named_when_none_takes_the_checkpoint(served, tmp_path):
    import mindspore.nn as nn

    class Other(nn.Cell):  # stem and blocks.0 of the small Stack, and entries no variant has
        def __init__(self):
            super().__init__()
            self.stem = nn.Conv2d(3, 4, 3)
            self.blocks = nn.SequentialCell([nn.Conv2d(4, 4, 3)])
            self.fc = nn.Dense(4, 10)
            self.extra = nn.Dense(4, 4)

    served("stack_cifar10", Other())
    with pytest.raises(CheckpointError) as caught:
        mshub.load(uid("stack_cifar10"))
    assert "extra.weight" in str(caught.value) and "net='stack_large'" in str(caught.value)


def test_the_selection_matches_names_up_to_case_and_separators(tmp_path):
    from hub.cards.record import ModelCard
    from hub.routes.zoo.variants.selection import Selection, card_names, compared_names

    card = ModelCard(uid="mindspore/1.10/resnetv2101_cifar10", path="", backbone="resnetv2", module_type="cv",
                     module_detail=None, fine_tunable=True, model_version="1.10", author="", update_time="",
                     repo_link="", user_id="", used_for=(), mindspore_version="1.10", license="", summary="",
                     model_name="ResnetV2_101", train_datasets=("cifar10",))
    assert card_names(card) == {"resnetv2101"}
    (tmp_path / "export.py").write_text('if args.net == "resnetv2_50":\n    pass\nelif args.net == \'resnetv2_101\':\n'
                                        '    pass\nif config.mode in ("a", "b"):\n    pass\n')
    compared = compared_names(tmp_path)
    assert compared == {"net": ["resnetv2_50", "resnetv2_101"], "mode": ["a", "b"]}
    parser = argparse.ArgumentParser()
    parser.add_argument("--net", default="resnetv2_50")
    parser.add_argument("--file_name", default="resnetv2")
    selection = Selection(card, tmp_path, compared)
    assert selection.choose(parser._actions) == {"net": "resnetv2_101"}
    assert selection.alternatives() == [{"net": "resnetv2_50"}]
    from hub.routes.zoo.variants.selection import _prefix_match

    assert _prefix_match(["deeplab_v3_s16", "deeplab_v3_s8"], {"deeplabv3", "deeplabv3s8r2"}) == "deeplab_v3_s8"
    assert _prefix_match(["resnet", "vgg16"], {"resnet50"}) is None


def test_a_config_option_without_a_default_matches_whole_words_or_takes_the_only_file(tmp_path):
    from hub.cards.record import ModelCard
    from hub.routes.zoo.variants.selection import Selection

    def chosen(stem: str, model_name: str, files: list[str], default: str | None = None,
               dataset: str = "imagenet2012", script: str = "export.py",
               backends: tuple[str, ...] = ()) -> tuple[dict, list, list]:
        directory = tmp_path / stem
        for name in files:
            (directory / name).parent.mkdir(parents=True, exist_ok=True)
            (directory / name).write_text("depth: 1\n")
        card = ModelCard(uid=f"mindspore/1.10/{stem}", path="", backbone="", module_type="cv", module_detail=None,
                         fine_tunable=True, model_version="1.10", author="", update_time="", repo_link="", user_id="",
                         used_for=(), mindspore_version="1.10", license="", summary="", model_name=model_name,
                         train_datasets=(dataset,), train_backends=backends)
        parser = argparse.ArgumentParser()
        parser.add_argument("--config_path", type=str, default=default and str(directory / default))
        if default is None:
            parser.add_argument("--config_file", default="default_config.yaml")  # a default: not this rule's
        selection = Selection(card, directory, {}, script=script)
        values = {k: str(Path(v).relative_to(directory)) for k, v in selection.choose(parser._actions).items()}
        return values, selection.notes(), selection.alternatives()

    isynet = ["config/Net-N0_imagenet2012_config_MA_v7.yaml", "config/Net-N1_imagenet2012_config_MA_v7.yaml",
              "config/Net-N1-S1_imagenet2012_config_MA_v7.yaml", "config/Net-N1-S2_imagenet2012_config_MA_v7.yaml"]
    values, said, others = chosen("net_N1_imagenet2012", "Net", isynet)
    assert values == {"config_path": "config/Net-N1_imagenet2012_config_MA_v7.yaml"}
    assert said == ["variant set from the card ('Net'): config_path='config/Net-N1_imagenet2012_config_MA_v7.yaml'"]
    assert len(others) == 3 and {"config_path": str(tmp_path / "net_N1_imagenet2012" / isynet[2])} in others
    assert chosen("net_N1S2_imagenet2012", "Net", isynet)[0] == {"config_path": isynet[3]}
    assert chosen("net_imagenet2012", "Net", isynet)[:2] == ({}, [])  # N0, N1: equally near, none chosen
    # the card's name must spell whole words: resnet is no prefix of resnet50 (another network)
    assert chosen("resnet_imagenet2012", "resnet", ["configs/resnet50.yaml", "configs/resnet101.yaml"])[0] == {}
    # a config option with a default: the file whose own words end the card's name, else its dataset's
    with_default = ["default_config.yaml", "default_config_101.yaml", "default_config_152.yaml"]
    assert chosen("fasterrcnn_resnetv1101_imagenet2012", "fasterrcnn", with_default, "default_config.yaml")[0] == \
        {"config_path": "default_config_101.yaml"}
    assert chosen("fasterrcnn_resnetv150_imagenet2012", "fasterrcnn", with_default, "default_config.yaml")[0] == {}
    by_dataset = ["cifar10_config.yaml", "imagenet2012_config.yaml", "cpu_config.yaml"]
    values, said, _ = chosen("vgg16_imagenet2012", "vgg16", by_dataset, "cifar10_config.yaml")
    assert values == {"config_path": "imagenet2012_config.yaml"}
    assert said == ["variant set from the card ('vgg16'): config_path='imagenet2012_config.yaml'"]
    # a word that begins the card's dataset name names it (cell of cellnuclei): that file, not the plain one
    unet = ["unet_nested_config.yaml", "unet_nested_cell_config.yaml", "unet_simple_config.yaml"]
    assert chosen("unetnested_cellnuclei", "unet_nested", unet, "unet_simple_config.yaml", "cellnuclei")[0] == \
        {"config_path": "unet_nested_cell_config.yaml"}
    assert chosen("unetnested_isbi", "unet_nested", unet, "unet_simple_config.yaml", "isbi")[0] == \
        {"config_path": "unet_nested_config.yaml"}
    # a device's copy of the same variant: the plain file
    tiny = ["src/configs/convnext_tiny.yaml", "src/configs/convnext_tiny_gpu.yaml"]
    assert chosen("convnext_imagenet2012", "convnext", tiny)[0] == {"config_path": tiny[0]}
    # named after no card, the only file there is: the script cannot run without one
    values, said, others = chosen("senet_imagenet2012", "SE-Net", ["config/se-resnet50_config.yaml"])
    assert values == {"config_path": "config/se-resnet50_config.yaml"} and others == []
    assert said == ["config file set as the directory's only one (none is named after 'SE-Net'): "
                    "config_path='config/se-resnet50_config.yaml'"]
    # none named after the card: the words that set one file apart from the others end the card's name
    senet = ["config/se-resnet50_imagenet2012_config_gpu.yaml", "config/se-resnet101_imagenet2012_config_gpu.yaml"]
    assert chosen("senetresnet50_imagenet2012", "SE-Net", senet)[0] == {"config_path": senet[0]}
    assert chosen("senet_imagenet2012", "SE-Net", senet)[0] == {}  # 50 or 101: nothing says
    # a default config that is not there (moved, or never written): the config folders' files are candidates,
    # and of two named alike, the running script's own
    vit = ["config/vit_eval.yml", "config/vit_export.yml", "config/vit_patch32_imagenet2012_config.yml"]
    stale = "../../vit_patch32_imagenet2012_config.yml"
    assert chosen("vit_imagenet2012", "vit_base_patch32", vit, stale)[0] == {"config_path": vit[1]}
    assert chosen("vit_imagenet2012", "vit_base_patch32", vit, stale, script="eval.py")[0] == {"config_path": vit[0]}
    # ... and one file whose first word is the card's dataset, or begins its name, is the card's
    fasttext = ["ag_config.yaml", "yelp_p_config.yaml", "dbpedia_config.yaml"]
    for stem, dataset, file in [("fasttext_agnews", "agnews", "ag_config.yaml"),
                                ("fasttext_yelp", "yelp", "yelp_p_config.yaml")]:
        assert chosen(stem, "fasttext", fasttext, "../default_config.yaml", dataset)[0] == {"config_path": file}
    (tmp_path / "default_config.yaml").write_text("depth: 1\n")  # the default is there: it stays
    # the default itself, moved into a config folder, or kept once per device: the card's checkpoint's device's
    moved = ["config/default_config.yaml", "config/finetune_config.yaml"]
    values, said, _ = chosen("yolov3tiny_coco2017", "yolov3_tiny", moved, "default_config.yaml")
    assert values == {"config_path": "config/default_config.yaml"}
    assert said == ["default not there: config_path='config/default_config.yaml': its default 'default_config.yaml' "
                    "is not there; this is what it became in the directory"]
    tsm = ["src/config/tsm_sthv2_config_2bin.yaml", "src/config/tsm_sthv2_config_ascend.yaml",
           "src/config/tsm_sthv2_config_gpu.yaml"]
    for backends, file in [(("Ascend",), tsm[1]), (("GPU",), tsm[2])]:
        assert chosen("tsm_sthv2", "tsm", tsm, "src/config/tsm_sthv2_config.yaml", "sthv2", backends=backends)[0] \
            == {"config_path": file}  # named after the card (its dataset aside) and the device's copy
        assert chosen("tsm_smthv2", "tsm", tsm, "src/config/tsm_sthv2_config.yaml", "smthv2", backends=backends)[0] \
            == {"config_path": file}  # named after nothing: the default's own copy for the device
    assert chosen("tsm_smthv2", "tsm", tsm, "src/config/tsm_sthv2_config.yaml", "smthv2")[0] == {}  # no device said
    assert chosen("fasttext_agnews", "fasttext", fasttext, "../default_config.yaml", "agnews")[0] == {}


def test_an_option_naming_network_and_dataset_together_gets_the_cards(tmp_path):
    """resnet's ``network_dataset`` takes ``resnet18_cifar10``: the card's name and dataset, not one alone."""
    from hub.cards.record import ModelCard
    from hub.routes.zoo.variants.selection import NO_VARIANT_NAMED, Selection, compared_names

    card = ModelCard(uid="mindspore/1.10/resnet18_cifar10", path="", backbone="resnet", module_type="cv",
                     module_detail=None, fine_tunable=True, model_version="1.10", author="", update_time="",
                     repo_link="", user_id="", used_for=(), mindspore_version="1.10", license="", summary="",
                     model_name="resnet18", train_datasets=("cifar10",))
    (tmp_path / "train.py").write_text('if config.network_dataset == "resnet18_imagenet2012":\n    pass\n'
                                       'if config.network_dataset == "resnet18_cifar10":\n    pass\n')
    parser = argparse.ArgumentParser()
    parser.add_argument("--network_dataset", default="resnet50_imagenet2012")
    selection = Selection(card, tmp_path, compared_names(tmp_path))
    assert selection.choose(parser._actions) == {"network_dataset": "resnet18_cifar10"}
    assert not any(note.startswith(NO_VARIANT_NAMED) for note in selection.notes())


def test_a_device_option_without_a_default_gets_the_device_of_the_cards_checkpoint(tmp_path):
    """ghostnet_quant's eval.py compares ``--platform`` (no default) with "Ascend" and "GPU" and raises for
    anything else: the card's checkpoint, ``ghostnetquant_ascend_v190_...ckpt``, was trained on Ascend, so
    Ascend, noted. Where the script takes the CPU, the CPU; a device_target's CPU is the command line's."""
    from hub.cards.record import Asset, ModelCard
    from hub.routes.zoo.variants.selection import DEVICE_FROM_CARD, Selection, checkpoint_device, compared_names

    def card(ckpt: str, backends: tuple = ()) -> ModelCard:
        return ModelCard(uid="mindspore/1.9/ghostnetquant_imagenet2012", path="", backbone="ghostnet_quant",
                         module_type="cv", module_detail=None, fine_tunable=True, model_version="1.9", author="",
                         update_time="", repo_link="", user_id="", used_for=(), mindspore_version="1.9", license="",
                         summary="", model_name="ghostnet_quant", train_datasets=("imagenet2012",),
                         assets=(Asset("ckpt", f"https://download.mindspore.cn/models/r1.9/{ckpt}", "0" * 64),),
                         train_backends=backends)

    ascend = card("ghostnetquant_ascend_v190_imagenet2012_research_cv_top1acc82.5.ckpt")
    assert checkpoint_device(ascend) == "ascend"
    assert checkpoint_device(card("ghostnet_v190.ckpt")) is None
    assert checkpoint_device(card("ghostnet_v190.ckpt", ("GPU",))) == "gpu"
    (tmp_path / "eval.py").write_text('if args_opt.platform == "Ascend":\n    pass\n'
                                      'elif args_opt.platform == "GPU":\n    pass\n')

    def chosen(c: ModelCard, **option) -> tuple[dict, list[str], dict]:
        parser = argparse.ArgumentParser()
        parser.add_argument("--platform", type=str, default=None, **option)
        parser.add_argument("--device_target", type=str, default=None)  # the command line gives it the CPU
        selection = Selection(c, tmp_path, compared_names(tmp_path))
        return selection.choose(parser._actions), selection.notes(), selection.facts()

    values, said, facts = chosen(ascend)
    assert values == {"platform": "Ascend"} and facts["device_option"] == {"platform": "Ascend"}
    assert facts["dataset_option"] == {} and said == [
        f"{DEVICE_FROM_CARD} (trained on Ascend; the script does not take the CPU): platform='Ascend', which the "
        "script has no default for (never applied: the network runs where you run it)"]
    assert chosen(card("ghostnet_gpu_v190.ckpt"))[0] == {"platform": "GPU"}
    assert chosen(card("ghostnet_v190.ckpt"))[0] == {}  # no device said: nothing to choose
    assert chosen(ascend, choices=["Ascend", "GPU", "CPU"])[0] == {"platform": "CPU"}
    (tmp_path / "src.py").write_text('if config.device_target == "Ascend":\n    pass\n')
    assert chosen(ascend)[0] == {"platform": "Ascend"}  # device_target compared with Ascend: still the CPU's


def test_a_project_option_naming_the_authors_checkout_of_the_directory_is_the_directory(tmp_path):
    """ICNet's ``--project_path /root/ICNet/``, to which its export.py joins ``src/model_utils/icnet.yaml``."""
    from hub.cards.record import ModelCard
    from hub.routes.zoo.variants.selection import Selection

    directory = tmp_path / "ICNet"
    directory.mkdir()
    card = ModelCard(uid="mindspore/1.10/icnet_cityscapes", path="", backbone="", module_type="cv",
                     module_detail=None, fine_tunable=True, model_version="1.10", author="", update_time="",
                     repo_link="", user_id="", used_for=(), mindspore_version="1.10", license="", summary="",
                     model_name="icnet", train_datasets=("cityscapes",))
    parser = argparse.ArgumentParser()
    parser.add_argument("--project_path", type=str, default="/root/ICNet/")
    parser.add_argument("--other_project", type=str, default="/root/OtherNet/")  # not this directory: kept
    selection = Selection(card, directory, {})
    assert selection.choose(parser._actions) == {"project_path": f"{directory}/"}
    assert selection.notes() == [f"default not there: project_path='{directory}/': its default '/root/ICNet/' is not "
                                 "there; this is what it became in the directory"]


def test_a_default_the_options_type_joins_to_its_config_module_is_there_and_the_other_files_stay_variants(tmp_path):
    """BERT's ``--config_path`` has ``type=get_abs_path`` (joined to ``src/model_utils/``) and the default
    ``../../pretrain_config.yaml``: the file is there, so nothing is moved, and the directory's other configs stay
    variants the loader (and the inputs of its hub conf, from the export script) may try."""
    import os

    from hub.cards.record import ModelCard
    from hub.routes.zoo.variants.selection import Selection

    (tmp_path / "src" / "model_utils").mkdir(parents=True)
    for name in ("pretrain_config.yaml", "task_classifier_config.yaml"):
        (tmp_path / name).write_text("depth: 1\n")
    card = ModelCard(uid="mindspore/1.5/bertbase_cnnews128", path="", backbone="", module_type="nlp",
                     module_detail=None, fine_tunable=True, model_version="1.5", author="", update_time="",
                     repo_link="", user_id="", used_for=(), mindspore_version="1.5", license="", summary="",
                     model_name="bert_base", train_datasets=("cnnews128",))
    parser = argparse.ArgumentParser()
    parser.add_argument("--config_path", type=lambda p: os.path.join(tmp_path, "src", "model_utils", p),
                        default="../../pretrain_config.yaml")
    selection = Selection(card, tmp_path, {}, script="export.py")
    assert selection.choose(parser._actions) == {}
    assert not any(n.startswith("default not there") for n in selection.notes())
    assert {"config_path": str(tmp_path / "task_classifier_config.yaml")} in selection.alternatives()
