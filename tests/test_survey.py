"""``hub loadable --run`` (built networks called on their example inputs) and ``--shard``/``--merge``, on
the zoo stand-in of ``export_repos`` (our own code)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import comparable_report
from export_repos import export_card, uid_of

from hub.catalog import Catalog
from hub.cli import main
from hub.survey import shards
from hub.survey.build import groups
from hub.survey.forward import classify

pytestmark = pytest.mark.network  # builds MindSpore networks


def catalog_of(hub_env: Path) -> Path:
    return hub_env / ".catalogs" / "gitee" / "mshub_res" / "assets"


def some_cards(hub_env: Path, target: Path, directories: list[str]) -> Path:
    """A catalog of the stand-in cards of these directories only."""
    for directory in directories:
        relative = uid_of(directory) + ".md"
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(catalog_of(hub_env) / relative, target / relative)
    return target


def test_run_calls_each_built_network_on_its_example_inputs(export_env, tmp_path, hub_env):
    catalog = some_cards(hub_env, tmp_path / "some", ["exportargs", "wronginputs", "oldgather", "samenet",
                                                      "headnet", "narrowhead", "slownet", "exportdata"])
    run = subprocess.run([sys.executable, "-m", "hub", "loadable", "--catalog", str(catalog), "--run",
                          "--run-timeout", "3", "--json", "--quiet"], env=export_env, cwd=tmp_path,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout)
    got = {o["uid"]: o for o in report["outcomes"]}
    ran = got[uid_of("exportargs")]
    assert ran["run"] == "ran" and ran["finite"] and ran["inputs"] == "the export script's"
    assert 0 < ran["forward_seconds"] < 3
    wrong = got[uid_of("wronginputs")]  # 5 channels into a 3-channel convolution
    assert (wrong["run"], wrong["run_kind"]) == ("forward-failed", "shape") and "Conv2D" in wrong["run_message"]
    gather = got[uid_of("oldgather")]  # 1.x GatherV2 with its three inputs, as ops.Gather
    assert gather["run"] == "ran"
    assert "removed name supplied: ops.GatherV2 -> ops.Gather (batch_dims=0)" in gather["notes"]
    same = got[uid_of("samenet")]  # the hub conf's network, fed what the export.py beside it exports
    assert same["route"] == "zoo" and same["run"] == "ran" and "same parameter shapes" in same["inputs"]
    head = got[uid_of("headnet")]  # the same, but for the width of the hub conf's classifier
    assert head["run"] == "ran" and "classifier: 5 classes there, 7 here" in head["inputs"]
    none = got[uid_of("narrowhead")]  # a hub conf with no export.py: nothing says what to feed it
    assert none["run"] == "no-inputs" and "has no export.py" in none["run_message"]
    slow = got[uid_of("slownet")]
    assert slow["run"] == "timeout" and "more than 3 s" in slow["run_message"]
    assert got[uid_of("exportdata")]["run"] == ""  # did not build: not run
    runs = report["runs"]
    assert runs["built"] == 7 and runs["ran"] == 4
    export = runs["by_route"]["export"]
    assert export == {"built": 4, "ran": 2, "forward-failed": 1, "timeout": 1,
                      "median_forward_seconds": export["median_forward_seconds"]}
    assert runs["by_route"]["zoo"]["no-inputs"] == 1 and runs["forward_failures"] == {"shape": 1}
    built = [o for o in report["outcomes"] if o["seconds"] is not None]
    assert all(o["seconds"] >= 0 for o in built) and sum(o["seconds"] for o in built) > 0  # (to 0.01 s)
    # the cards that raised the process's peak (none may: the process may have peaked before the builds)
    raised = [o for o in built if o["peak_rss_mb"] is not None]
    assert all(o["peak_rss_mb"] > 100 for o in raised)  # MindSpore alone is larger
    cost = report["cost"]
    assert cost["peak_rss_mb"] == max((o["peak_rss_mb"] for o in raised), default=None)
    if raised:
        assert got[cost["peak_after"]]["peak_rss_mb"] == cost["peak_rss_mb"]
    assert cost["build_seconds"] == pytest.approx(sum(o["seconds"] for o in built), abs=0.1)
    assert list(cost["slowest"].values()) == sorted(cost["slowest"].values(), reverse=True)


def test_run_feeds_what_the_zoo_code_itself_passes(export_env, tmp_path):
    """A hub conf's bare network gets the export script's inputs as the zoo's inference wrapper passes them on
    (None for ground truth, its own kept shape); token ids past a table's rows are taken modulo its rows, and
    say so; an export script that reads a checkpoint entry by name builds; float16 inputs an operator refuses to
    mix with float32 are tried as float32; an export script whose default config does not build is run with
    another config of the directory for the hub conf's inputs."""
    catalog = tmp_path / "cards"
    for directory in ("gtnet", "vocabnet", "halfnet", "tasknet"):
        (catalog / (uid_of(directory) + ".md")).parent.mkdir(parents=True, exist_ok=True)
        (catalog / (uid_of(directory) + ".md")).write_text(export_card(directory))
    report = loadable_json(export_env, tmp_path, "--catalog", str(catalog), "--run")
    got = {o["uid"]: o for o in report["outcomes"]}
    boxes = got[uid_of("gtnet")]
    assert boxes["route"] == "zoo" and boxes["run"] == "ran", boxes
    assert "(same parameter shapes, as BoxNetInfer.construct (src/net.py:33) calls self.network)" in boxes["inputs"]
    vocab = got[uid_of("vocabnet")]
    assert vocab["ok"] and vocab["run"] == "ran", (vocab["run"], vocab["run_message"])
    assert vocab["inputs"] == "the export script's, integer ids taken modulo the 10 rows of the table that refused them"
    assert "should be in the range [0, 10)" in vocab["run_message"]  # why the first try failed
    half = got[uid_of("halfnet")]
    assert half["run"] == "ran" and half["inputs"] == ("the export script's, its float16 tensors as float32 (an "
                                                       "operator refused to mix the two on this CPU)")
    assert "Float16" in half["run_message"] and "failed first" in half["run_message"]
    task = got[uid_of("tasknet")]
    assert task["route"] == "zoo" and task["run"] == "ran", task
    assert task["inputs"].startswith("export.py's with config_path=task_classifier_config.yaml (its default does "
                                     "not build: ValueError: unsupported downstream task)")
    assert "(same parameter shapes, as ClsModel.construct (src/net.py:" in task["inputs"]


def test_run_tries_the_first_sample_when_the_whole_batch_takes_too_long(export_env, tmp_path):
    catalog = tmp_path / "cards"
    (catalog / (uid_of("batchnet") + ".md")).parent.mkdir(parents=True, exist_ok=True)
    (catalog / (uid_of("batchnet") + ".md")).write_text(export_card("batchnet"))
    report = loadable_json(export_env, tmp_path, "--catalog", str(catalog), "--run", "--run-timeout", "3")
    batch = report["outcomes"][0]
    assert batch["run"] == "ran", batch
    assert batch["inputs"] == "the export script's, the first sample of its batch of 8"
    assert "the export script's: the whole batch took more than 3 s" in batch["run_message"]
    assert 1 <= batch["forward_seconds"] < 3


def loadable_json(export_env: dict, cwd: Path, *args: str) -> dict:
    run = subprocess.run([sys.executable, "-m", "hub", "loadable", *args, "--json", "--quiet"], env=export_env,
                         cwd=cwd, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout)


def test_shard_halves_merged_equal_one_run(export_env, tmp_path, hub_env, capsys):
    """Each run in a process of its own, as on the machines of a CI matrix."""
    catalog = str(catalog_of(hub_env))
    one = loadable_json(export_env, tmp_path, "--catalog", catalog)
    paths = []
    for index in (1, 2):
        half = loadable_json(export_env, tmp_path, "--catalog", catalog, "--shard", f"{index}/2")
        assert 0 < half["cards"] < one["cards"]
        paths.append(tmp_path / f"shard{index}.json")
        paths[-1].write_text(json.dumps(half))
    merged = loadable_json(export_env, tmp_path, "--merge", *map(str, paths))
    one["outcomes"].sort(key=lambda o: o["uid"])
    halves = {o["uid"]: o for path in paths for o in json.loads(path.read_text())["outcomes"]}
    assert [o["seconds"] for o in merged["outcomes"]] == [halves[o["uid"]]["seconds"] for o in merged["outcomes"]]
    merged, one = comparable_report(merged), comparable_report(one)  # what the runs cost differs
    for mine, theirs in zip(merged.pop("outcomes"), one.pop("outcomes"), strict=True):
        assert mine == theirs
    assert merged == one
    capsys.readouterr()
    assert main(["loadable", "--merge", str(paths[0]), str(paths[0])]) == 2
    assert "shard1.json: card mindspore/1.9/" in capsys.readouterr().err
    (tmp_path / "other.json").write_text('{"cards": 1}')
    assert main(["loadable", "--merge", str(tmp_path / "other.json")]) == 2
    assert "other.json: not a hub loadable --json report" in capsys.readouterr().err


def test_a_worker_that_dies_costs_its_directory_only(export_env, tmp_path, hub_env):
    """A directory whose code kills its worker below Python is ``crashed``; the others build in workers that
    are replaced after every directory (``--worker-memory 1``) exactly as in this process."""
    catalog = some_cards(hub_env, tmp_path / "some", ["exportargs", "oldgather", "olddivide"])
    (catalog / (uid_of("crashnet") + ".md")).write_text(export_card("crashnet"))
    here = loadable_json(export_env, tmp_path, "--catalog", str(some_cards(hub_env, tmp_path / "safe", [
        "exportargs", "oldgather", "olddivide"])))
    report = loadable_json(export_env, tmp_path, "--catalog", str(catalog), "--jobs", "2", "--worker-memory", "1")
    got = {o["uid"]: o for o in report["outcomes"]}
    crashed = got.pop(uid_of("crashnet"))
    assert (crashed["ok"], crashed["kind"]) == (False, "crashed")
    assert crashed["message"] == "the worker building its code directory was killed by SIGSEGV"
    got = {o["uid"]: o for o in comparable_report({"outcomes": list(got.values())})["outcomes"]}
    for outcome in comparable_report(here)["outcomes"]:
        assert got[outcome["uid"]] == outcome
    assert report["built"] == 3


def test_shards_split_by_code_directory_deterministic_and_balanced(export_env, hub_env):
    cards = Catalog([catalog_of(hub_env)]).scan().cards
    card_groups = groups(cards)
    split = shards(card_groups, 3)
    assert split == shards(list(reversed(card_groups)), 3)  # the cards decide, not their order
    sizes = [sum(len(g) for g in share) for share in split]
    assert sum(sizes) == len(cards) and max(sizes) - min(sizes) <= max(len(g) for g in card_groups)
    assert sorted(id(g) for share in split for g in share) == sorted(id(g) for g in card_groups)


def test_forward_failure_classes():
    assert classify(RuntimeError("For Operator[Gather], the inputs number should be 4 but got 3.")) == "operator"
    assert classify(ValueError("For 'MatMul', the input dimensions must be equal, but got 768 and 1024")) == "shape"
    assert classify(TypeError("For 'Add', the type of 'x' must be Tensor[Float32], but got Int32")) == "dtype"
    assert classify(AttributeError("module 'mindspore.ops' has no attribute 'Foo'")) == "removed-api"
    assert classify(TypeError("For 'CellList', the type of 'index' must be int or slice, but got float.")) == "index"
    assert classify(TypeError("Net.construct() missing 3 required positional arguments: 'gt_bboxes', 'gt_labels', "
                              "and 'gt_valids'")) == "signature"


def test_a_toolkit_network_declares_its_image_size_in_its_own_cells():
    """A MindCV model whose config names no input size (SwinV2's window-8 models) keeps the size it was
    built for in its patch embedding: that, not MindCV's default 224, is what ``--run`` feeds it."""
    import mindspore.nn as nn

    from hub.inference.inputs import _declared_image_size

    class Embed(nn.Cell):
        def __init__(self):
            super().__init__()
            self.image_size = (32, 48)
            self.proj = nn.Conv2d(3, 4, 4)

    class Model(nn.Cell):
        def __init__(self):
            super().__init__()
            self.patch_embed = Embed()

    assert _declared_image_size(Model()) == (32, 48)
    assert _declared_image_size(nn.Dense(3, 4)) is None


def test_shapes_only_samples_no_weights_and_puts_samplers_back():
    """The survey builds structure: MindSpore's initializers and SciPy's truncated normal (which the zoo's
    ResNet family samples its convolutions from itself: 9 of seresnet50's 10 s) leave values unsampled."""
    import numpy as np
    from scipy import stats

    from hub.weights.unsampled import shapes_only

    with shapes_only():
        drawn = stats.truncnorm(-2, 2, loc=0, scale=0.5).rvs((64, 3, 3))
        with pytest.raises(ValueError):  # arguments are still checked
            stats.truncnorm(-2, 2, loc=0, scale=0.5).rvs((-1, 3))
    assert drawn.shape == (64, 3, 3) and not drawn.any()
    after = stats.truncnorm(-2, 2, loc=0, scale=0.5).rvs((64, 3, 3), random_state=0)
    assert after.std() > 0.1 and np.abs(after).max() <= 1.0


def test_shapes_only_leaves_numpy_weight_tables_unsampled():
    """Zoo code drawing a whole table with numpy (Transformer: float64 temporaries of the vocabulary) gets
    zeros of its shape; small draws, which zoo code may branch on, stay random; afterwards numpy is as it was."""
    import numpy as np

    from hub.weights.unsampled import shapes_only

    with shapes_only():
        table = np.random.normal(0.0, 0.5, (300, 64)).astype(np.float32)
        limits = np.random.uniform(-1, 1, size=[64, 64])
        small = np.random.uniform(0, 1, 8)
    assert table.shape == (300, 64) and not table.any() and limits.shape == (64, 64) and not limits.any()
    assert small.shape == (8,) and small.any()
    assert np.random.normal(0.0, 0.5, (300, 64)).std() > 0.4


def test_a_card_that_leaves_much_held_is_freed_before_the_next_card_builds(monkeypatch):
    """A network is a web of reference cycles: when one card's build leaves more than ``COLLECT_ABOVE_MB``
    held, it is collected before the next card of the directory builds, not at the directory's end (two
    failed Transformer builds of one directory, one on top of the other, made the survey's largest process)."""
    import gc
    import weakref
    from types import SimpleNamespace

    from hub.survey import build
    from hub.survey.report import CardOutcome

    class Network:  # what a failed build leaves: unreachable, but only a full collection frees its cycle
        def __init__(self) -> None:
            self.me, self.weights = self, bytearray(96 * 2**20)
            self.weights[::4096] = b"\1" * len(self.weights[::4096])  # resident, not just reserved

    left: list[weakref.ref] = []
    alive_when_built: list[bool] = []

    def build_one(card, options=None):
        alive_when_built.append(any(ref() is not None for ref in left))
        left.append(weakref.ref(Network()))
        return CardOutcome(uid=card.uid, route="zoo", ok=False, kind="zoo-error")

    cards = [SimpleNamespace(uid=f"mindspore/1.9/net{i}_cifar10") for i in range(3)]
    monkeypatch.setattr(build, "build_one", build_one)
    gc.collect()
    # what earlier work freed stays resident in the allocator's heap (a test suite leaves plenty): a build
    # that reuses it raises nothing resident, unless build_group gave it back before measuring
    blocks = [bytearray(2**20) for _ in range(320)]
    for block in blocks:
        block[::4096] = b"\1" * len(block[::4096])
    pinned = bytearray(1024)  # above the blocks in the heap: their space is a hole, not the heap's top
    del blocks
    gc.disable()  # no automatic collection may free them in between
    try:
        monkeypatch.setattr(build, "COLLECT_ABOVE_MB", 64)
        build.build_group(cards)
        assert alive_when_built == [False, False, False]
        alive_when_built.clear()
        monkeypatch.setattr(build, "COLLECT_ABOVE_MB", 10**6)  # the check is what frees them: without it, not
        build.build_group(cards)
        assert alive_when_built == [False, True, True]
    finally:
        gc.enable()
        gc.collect()
        del pinned


class _Bar:
    def __init__(self) -> None:
        self.count = 0

    def update(self) -> None:
        self.count += 1


def test_a_worker_error_outside_any_card_is_said_and_the_worker_serves_on(tmp_path):
    """A card file gone between the survey's listing and its worker's reading: that directory's cards say the
    worker's error, and the same worker builds the next directory."""
    from hub.survey import workers
    from hub.survey.build import BuildOptions

    bundled = Catalog([Path(__file__).resolve().parents[1] / "assets"])
    cards = [bundled.get("mindspore/1.7/ssd300_coco2017"), bundled.get("mindspore/1.7/ssdvgg16_coco2017")]
    shutil.copytree(bundled.roots[0], tmp_path / "cards")
    (tmp_path / "cards" / "mindspore" / "1.7" / "ssd300_coco2017.md").unlink()
    bar = _Bar()
    outcomes = workers.build_in_workers(Catalog([tmp_path / "cards"]), [[cards[0]], [cards[1]]], 1, bar,
                                        BuildOptions())
    gone = outcomes["mindspore/1.7/ssd300_coco2017"]
    assert (gone.ok, gone.kind) == (False, "crashed")
    assert gone.message.startswith("the worker building its code directory failed outside any card: UidError: ")
    assert "mindspore/1.7/ssd300_coco2017" in gone.message
    assert outcomes["mindspore/1.7/ssdvgg16_coco2017"].ok and bar.count == 2


def test_workers_that_cannot_start_stop_the_survey_with_how_they_ended(tmp_path, monkeypatch):
    """Workers whose imports fail (a module of the user's named like one they import) build nothing, and nor would
    any worker after them: the survey stops with an error, not a report of thousands of crashed cards."""
    from hub.errors import SurveyError
    from hub.survey import workers
    from hub.survey.build import BuildOptions

    (tmp_path / "brokenworker.py").write_text(
        "import os\n\n"
        "if os.environ.get('BROKEN_WORKER'):  # set once this process has imported it: in the worker only\n"
        "    raise ImportError('shadowed in the worker')\n\n\n"
        "def serve(connection, roots):\n"
        "    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import brokenworker

    monkeypatch.setattr(workers, "_serve", brokenworker.serve)
    monkeypatch.setenv("BROKEN_WORKER", "1")
    bundled = Catalog([Path(__file__).resolve().parents[1] / "assets"])
    card = bundled.get("mindspore/1.7/ssd300_coco2017")
    with pytest.raises(SurveyError, match="a survey worker process exited with status 1 before it was ready"):
        workers.build_in_workers(bundled, [[card]], 1, _Bar(), BuildOptions())


def test_a_survey_drops_each_cards_script_modules_and_the_network_their_globals_hold(export_env, hub_env):
    """A script's ``__main__`` is published so networks it defines compile in GRAPH mode, and its globals hold the
    network it built (``net = ...``): a survey, which drops each card's network, drops those modules after the card
    (a worker grew by each ResNet of a directory, 3.5 GB over five cards). A user's load keeps its own."""
    import gc
    import re
    import weakref

    import mindspore_hub as mshub
    from hub.routes.zoo.sandbox import namespace
    from hub.survey.build import BuildOptions, build_group

    def script_runs() -> list[str]:
        return [name for name in sys.modules if re.match(r"_mshub_zoo_[0-9a-f]{12}_(main|run)\d+", name)]

    namespace.forget_script_runs()
    card = Catalog([catalog_of(hub_env)]).get(uid_of("exportargs"))
    kept = mshub.load(uid_of("exportargs"), pretrained=False)  # a user's load: its script module stays
    assert script_runs() and any(vars(sys.modules[n]).get("net") is kept for n in script_runs())
    held = weakref.ref(kept)
    del kept
    [outcome] = build_group([card], BuildOptions())
    assert outcome.ok and script_runs() == []
    gc.collect()
    assert held() is None  # the network the user let go, held by its script's globals until then
