"""The eval route: an eval script's own data code (a class or function of a data module of its directory)
that fails before the network gives a dataset stand-in instead of stopping the script; subclasses,
``isinstance`` and module-level code of that data code work as written; errors after the network, and
errors of other modules, stay. The zoo stand-ins are of our own writing."""
from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from export_repos import NET, export_card
from zoo_repos import build_repos

RELEASE = "r1.9"
# rows of images listed in a file, with a cache directory the class makes first (outside the code: refused)
ROWS = '''
import os

LISTED_AT_IMPORT = sorted(os.listdir(os.path.dirname(os.path.abspath(__file__))))


class ImageRows:
    """Rows listed in ``root``/list.txt."""

    def __init__(self, root, cache="/cache/rows"):
        super(ImageRows, self).__init__()
        self.root = root
        os.makedirs(cache, exist_ok=True)
        with open(os.path.join(root, "list.txt")) as f:
            self.names = f.read().split()

    def __getitem__(self, index):
        return self.names[index]

    def __len__(self):
        return len(self.names)
'''
# a subclass in the same data package, as the zoo's SR benchmarks subclass their SRData
BENCHMARK = '''
from src.data import rows


class Benchmark(rows.ImageRows):
    def __init__(self, root, scale=2):
        self.scale = scale
        super().__init__(root, cache=root)
'''
DATASET = '''
import os

import mindspore.dataset as ds


def class_names(root):
    with open(os.path.join(root, "classes.txt")) as f:
        return f.read().split()


def create_dataset(root, batch_size):
    names = class_names(root)
    return ds.NumpySlicesDataset({"label": list(range(len(names)))}).batch(batch_size)
'''
EVAL = '''
import argparse
import os

import mindspore.dataset as ds
from mindspore import load_checkpoint, load_param_into_net

from src.data.benchmark import Benchmark
from src.data.rows import ImageRows
from src.dataset import create_dataset
from src.net import TinyNet

parser = argparse.ArgumentParser(description="eval")
parser.add_argument("--data_dir", default="/nonexistent/rows")
parser.add_argument("--pth_path", type=str, default="")
args = parser.parse_args()

bench = Benchmark(os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench"))
assert isinstance(bench, ImageRows) and len(bench) == 2 and bench.scale == 2, "a subclass of data code works"
rows = ImageRows(args.data_dir)
loader = ds.GeneratorDataset(rows, ["name"], shuffle=False).batch(2)
val = create_dataset(args.data_dir, batch_size=4)
steps = val.get_dataset_size() * len(rows)
net = TinyNet(num_classes=3 * steps)
if args.pth_path:
    load_param_into_net(net, load_checkpoint(args.pth_path))
for row in loader.create_dict_iterator(output_numpy=True):
    print("evaluating", row)
raise SystemExit("the evaluation ran: the eval route did not stop the script")
'''
# data code in a module not named as data (pwcnet's ``src/flyingchairs.py``): it imports mindspore.dataset
FLYING = '''
import os

import mindspore.dataset as de


def make_dataset(root, batch_size):
    with open(os.path.join(root, "pairs.txt")) as f:
        pairs = [line.split() for line in f]
    dataset = de.GeneratorDataset(pairs, ["im1", "im2"], shuffle=False).batch(batch_size)
    return dataset, dataset.get_dataset_size()
'''
# its dataset and its size unpacked before the network (pwcnet's eval.py), the size used as a number or not
UNPACKING_EVAL = '''
import argparse

import mindspore.nn as nn
from mindspore import load_checkpoint, load_param_into_net

from src.flying import make_dataset
from src.net import TinyNet

parser = argparse.ArgumentParser(description="eval")
parser.add_argument("--data_dir", default="/nonexistent/flyingchairs")
parser.add_argument("--pth_path", type=str, default="")
args = parser.parse_args()

val_dataset, val_size = make_dataset(args.data_dir, batch_size=2)
print("evaluating", val_size, "batches of", val_dataset.get_dataset_size())
if SIZED:
    head = nn.Dense(val_size, 2)
net = TinyNet(num_classes=3)
load_param_into_net(net, load_checkpoint(args.pth_path))
for row in val_dataset.create_dict_iterator(output_numpy=True):
    print("evaluating", row)
raise SystemExit("the evaluation ran: the eval route did not stop the script")
'''
DIRS = {"evalowndata": {"eval.py": EVAL, "src/net.py": NET, "src/data/rows.py": ROWS,
                        "src/data/benchmark.py": BENCHMARK, "src/dataset.py": DATASET, "bench/list.txt": "a b\n"},
        **{name: {"eval.py": f"SIZED = {sized}\n" + UNPACKING_EVAL, "src/net.py": NET, "src/flying.py": FLYING}
           for name, sized in (("evalunpacked", False), ("evalunpackedsize", True))}}


@pytest.fixture(scope="module")
def git_config(tmp_path_factory):
    root = tmp_path_factory.mktemp("eval-data-repos")
    files = {f"official/cv/{d}/{rel}": text for d, tree in DIRS.items() for rel, text in tree.items()}
    catalog = {f"mshub_res/assets/mindspore/1.9/{d}_x.md": export_card(d) for d in DIRS}
    return build_repos(root, {RELEASE: {"README.md": "zoo stand-in\n", **files}}, catalog)


@pytest.fixture
def eval_env(git_config, monkeypatch, hub_env, tmp_path):
    from export_repos import use_repos

    return use_repos(git_config, monkeypatch, tmp_path)


def test_own_data_code_failing_before_the_network_gives_stand_ins(eval_env):
    import hub

    net = hub.load("mindspore/1.9/evalowndata_x", pretrained=False)
    assert type(net).__name__ == "TinyNet" and net.fc.weight.shape == (3, 4)  # sizes of stand-ins read 1
    notes = net.load_report.notes
    stand_ins = [n for n in notes if n.startswith("dataset stand-in")]
    assert any("ImageRows('/nonexistent/rows') of src/data/rows.py, which raised FileNotFoundError" in n
               for n in stand_ins), notes  # its cache folder was not made (refused, the code went on)
    assert any("create_dataset('/nonexistent/rows', batch_size=4) of src/dataset.py, which raised "
               "FileNotFoundError" in n for n in stand_ins), notes
    assert any(n.startswith("dataset stand-in (its data is not here): GeneratorDataset(<dataset stand-in: "
                            "ImageRows(") for n in stand_ins), notes
    assert not any("Benchmark" in n or "class_names" in n for n in stand_ins), notes  # it worked / not outermost
    assert any(n.startswith("refused: os.mkdir('/cache") and "src/data/rows.py" in n for n in notes), notes
    assert any("handed to load_param_into_net" in n for n in notes)  # --pth_path got the placeholder
    assert not Path("/cache/rows").exists()


def test_a_stand_in_of_data_code_in_a_module_named_otherwise_unpacked_into_a_dataset_and_its_size(eval_env):
    """pwcnet's eval.py: ``val_dataset, val_size = create_dataset(...)`` of ``src/flyingchairs.py`` before its
    network. Its parts are dataset stand-ins, listed as the one stand-in they are parts of."""
    import hub

    net = hub.load("mindspore/1.9/evalunpacked_x", pretrained=False)
    assert net.load_report.route == "eval" and type(net).__name__ == "TinyNet"
    stand_ins = [n for n in net.load_report.notes if n.startswith("dataset stand-in")]
    assert [n for n in stand_ins if "make_dataset('/nonexistent/flyingchairs', batch_size=2) of src/flying.py, "
                                    "which raised FileNotFoundError" in n and "pairs.txt" in n] != [], stand_ins


def test_the_size_unpacked_from_a_stand_in_used_as_a_number_before_the_network_is_a_data_file_error(eval_env):
    """``nn.Dense(val_size, 2)`` before the network: no width is made up of data that is not here."""
    import hub
    from hub.errors import HubError

    with pytest.raises(HubError) as caught:
        hub.load("mindspore/1.9/evalunpackedsize_x", pretrained=False)
    assert caught.value.kind == "data-file", caught.value
    assert "value 2 of 2 of make_dataset('/nonexistent/flyingchairs', batch_size=2) of src/flying.py" \
        in str(caught.value), caught.value


def _zoo_dir(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


@pytest.fixture
def run_eval(tmp_path):
    """Run an eval.py of a directory of ours as the eval route runs it, without a card: (reached, its module)."""
    from hub.routes.zoo.sandbox.data_code import zoo_data_stand_ins
    from hub.routes.zoo.sandbox.eval_capture import NetworkReached, captured_evaluation
    from hub.routes.zoo.sandbox.namespace import run_as_main
    from hub.routes.zoo.sandbox.run import running_zoo_code

    def run(files: dict[str, str]):
        directory = _zoo_dir(tmp_path / f"zoo{len(list(tmp_path.iterdir()))}", files)
        module = None
        with running_zoo_code(directory, fresh=True, cwd=directory, script=True), captured_evaluation() as reached, \
                zoo_data_stand_ins(directory, reached):
            try:
                module = run_as_main(directory / "eval.py")
            except NetworkReached:
                pass
        return reached, module

    return run


def test_reading_a_stand_in_of_own_data_code_raises_naming_the_call(run_eval):
    from hub.routes.zoo.sandbox.eval_capture import MissingDataError, MissingDataset

    eval_py = '''
    import src.data.rows as rows_module
    from src.data.benchmark import Benchmark
    from src.data.rows import ImageRows

    rows = ImageRows("/nonexistent/rows")
    bench = Benchmark("/nonexistent/bench")
    '''
    reached, module = run_eval({"eval.py": eval_py, "src/data/rows.py": ROWS, "src/data/benchmark.py": BENCHMARK})
    assert isinstance(module.rows, MissingDataset) and isinstance(module.bench, MissingDataset)
    assert len(module.rows) == 1 and module.rows.batch(4).get_dataset_size() == 1
    with pytest.raises(MissingDataError, match=r"ImageRows\('/nonexistent/rows'\) of src/data/rows\.py has no data "
                                               r"here \(FileNotFoundError: .*list\.txt"):
        next(iter(module.rows.create_tuple_iterator()))
    with pytest.raises(MissingDataError, match=r"Benchmark\('/nonexistent/bench'\) of src/data/benchmark\.py has no "
                                               r"data here \(FileNotFoundError"):
        module.bench[0]
    assert [d.partition(" of ")[0] for d in reached.datasets] == ["ImageRows('/nonexistent/rows')",
                                                                  "Benchmark('/nonexistent/bench')"]
    assert module.rows_module.LISTED_AT_IMPORT == ["benchmark.py", "rows.py"]  # module-level code ran as written
    assert not hasattr(vars(module.ImageRows)["__init__"], "__wrapped__")  # the class's own constructor is back
    assert "__init__" not in vars(module.Benchmark) or not hasattr(vars(module.Benchmark)["__init__"], "__wrapped__")


def test_an_attribute_the_data_would_give_is_read_as_the_data_never_made_up(run_eval):
    """DDAG's eval.py sizes its network by ``len(np.unique(trainset.train_color_label))`` and pointnet's by
    ``dataset.num_seg_classes``: of a stand-in, that is no number, but an error naming the attribute."""
    from hub.routes.zoo.sandbox.eval_capture import MissingDataError

    eval_py = '''
    import numpy as np
    from src.data.rows import ImageRows

    rows = ImageRows("/nonexistent/rows")
    probed = hasattr(rows, "__array_interface__")
    try:
        np.unique(rows.labels)
    except Exception as exc:
        unique_error = exc
    try:
        int(rows.count) % 2
    except Exception as exc:
        size_error = exc
    shown = "{}".format(rows.labels)
    '''
    _, module = run_eval({"eval.py": eval_py, "src/data/rows.py": ROWS})
    assert module.probed is False  # protocols probed on a stand-in are absent, not data
    for error, name in ((module.unique_error, "labels"), (module.size_error, "count")):
        assert isinstance(error, MissingDataError)
        assert str(error).startswith(f"{name} of ImageRows('/nonexistent/rows') of src/data/rows.py has no data here")
    assert module.shown == "<no data here: labels of ImageRows('/nonexistent/rows') of src/data/rows.py>"
    with pytest.raises(MissingDataError, match=r"^get_names of ImageRows"):
        module.rows.get_names()  # a method of the dataset reads it, as before


def test_errors_after_the_network_and_in_other_modules_stay(run_eval):
    after_network = '''
    from mindspore import load_checkpoint, load_param_into_net
    from src.dataset import create_dataset
    from src.net import TinyNet

    load_param_into_net(TinyNet(), load_checkpoint("x.ckpt"))
    create_dataset("/nonexistent/val", batch_size=2)
    '''
    with pytest.raises(FileNotFoundError, match="classes.txt"):
        run_eval({"eval.py": after_network, "src/net.py": NET, "src/dataset.py": DATASET})
    other_module = '''
    from src.utils import read_labels

    read_labels("/nonexistent/labels.txt")
    '''
    utils = 'def read_labels(path):\n    return open(path).read().split()\n'
    with pytest.raises(FileNotFoundError, match="labels.txt"):
        run_eval({"eval.py": other_module, "src/utils.py": utils})
    own_try = '''
    from src.data_tools import names_or_default

    NAMES = names_or_default("/nonexistent/names.txt")
    assert NAMES == ["default"], NAMES
    '''
    tools = '''
    def names(path):
        return open(path).read().split()


    def names_or_default(path):
        try:
            return names(path)
        except FileNotFoundError:
            return ["default"]
    '''
    reached, module = run_eval({"eval.py": own_try, "src/data_tools.py": tools})  # its own try sees its own error
    assert reached.datasets == [] and module.NAMES == ["default"]


def test_which_modules_are_data_code():
    from hub.routes.zoo.sandbox.data_code import is_data_module

    data = ["src.dataset", "src.datasets", "src.data.srdata", "src.data.div2k", "haze_data", "src.dataloader_cut",
            "src.data_loader", "src.dataprocess", "src.utils.mpiidataloader", "src.DataSet"]
    other = ["src.net", "src.model_utils.config", "src.utils", "eval", "src.load_weights", "src.update"]
    assert [n for n in data if not is_data_module(n)] == [] and [n for n in other if is_data_module(n)] == []


def test_a_pth_option_gets_the_placeholder_checkpoint_and_depth_options_do_not():
    import argparse

    from hub.routes.zoo.sandbox.argv import CHECKPOINT_PLACEHOLDER, tolerant_command_line

    with tolerant_command_line({}):
        parser = argparse.ArgumentParser()
        for option in ("--pth_path", "--pth-file", "--depth_path", "--ckpt_url"):
            parser.add_argument(option, type=str, default="")
        parsed = parser.parse_args()
    assert parsed.depth_path == "" and os.path.isfile(parsed.pth_path)  # an empty file: scripts that check go on
    assert {parsed.pth_path, parsed.pth_file, parsed.ckpt_url} == {parsed.pth_path}
    assert Path(parsed.pth_path).name == CHECKPOINT_PLACEHOLDER and Path(parsed.pth_path).stat().st_size == 0
