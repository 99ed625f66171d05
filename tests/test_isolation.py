"""Zoo code's changes stay inside zoo code: a thread of the user's, watching while zoo code runs, sees none of
its substitutions (removed names, call semantics, argparse, ``sys.argv``, the export capture); the MindSpore
context zoo code sets at import is not the user's afterwards, and a later forward of the user's writes nothing.
The zoo stand-in is ``vision_repos`` (our own code)."""
from __future__ import annotations

import argparse
import os
import sys
import threading

import pytest
from vision_repos import uid

ms = pytest.importorskip("mindspore")


@pytest.fixture(scope="module")
def vision_git_config(tmp_path_factory):
    from vision_repos import make_vision_repos

    return make_vision_repos(tmp_path_factory.mktemp("vision-repos"))


@pytest.fixture
def vision_env(vision_git_config, monkeypatch, hub_env, tmp_path):
    from export_repos import use_repos

    return use_repos(vision_git_config, monkeypatch, tmp_path)


def what_a_user_thread_sees() -> dict:
    import numpy as np
    from mindspore import nn, ops

    return {"np.bool": hasattr(np, "bool"), "nn.ResizeBilinear": hasattr(nn, "ResizeBilinear"),
            "ops.GatherV2": ops.GatherV2, "ops.ScalarCast": ops.ScalarCast, "Tensor.reshape": ms.Tensor.reshape,
            "parse_args": argparse.ArgumentParser.parse_args,
            "parse_known_args": argparse.ArgumentParser.parse_known_args,
            "argv": list(sys.argv), "export": ms.export, "load_checkpoint": ms.load_checkpoint,
            "set_context": ms.set_context, "dataset_seed": ms.dataset.config.set_seed,
            "mode": ms.get_context("mode")}


def test_a_user_thread_sees_nothing_of_zoo_code_while_it_runs(vision_env):
    import hub

    before = what_a_user_thread_sees()
    seen: list[dict] = []
    done = threading.Event()

    def watch():
        while not done.is_set():
            seen.append(what_a_user_thread_sees())

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for stem in ("graphsnet_cifar10", "resnet50_imagenet2012", "evalnet_imagenet2012"):
            hub.load(uid(stem), pretrained=False)  # a hub conf, an export script, an eval script
        hub.preprocess(uid("resnet101_imagenet2012"))
    finally:
        done.set()
        watcher.join()
    assert len(seen) > 100
    changed = {key for view in seen for key, value in view.items() if value != before[key]}
    assert changed == set(), changed
    assert what_a_user_thread_sees() == before


def test_a_context_zoo_code_sets_at_import_is_not_the_users_and_nothing_is_written(vision_env, tmp_path,
                                                                                  monkeypatch):
    import numpy as np

    import hub

    ms.set_context(mode=ms.PYNATIVE_MODE)
    net = hub.load(uid("graphsnet_cifar10"), pretrained=False)
    assert ms.get_context("mode") == ms.PYNATIVE_MODE and not ms.get_context("save_graphs")
    notes = net.load_report.notes
    assert any(n.startswith("not applied: the code's set_context(") and "save_graphs=True" in n for n in notes), notes
    assert "removed name supplied: np.bool -> bool" in notes
    work = tmp_path / "user-work"
    work.mkdir()
    monkeypatch.chdir(work)

    class UserNet(ms.nn.Cell):
        def __init__(self):
            super().__init__()
            self.fc = ms.nn.Dense(4, 3)

        def construct(self, x):
            return self.fc(x) * 2

    UserNet()(ms.Tensor(np.ones((1, 4), np.float32)))
    net(ms.Tensor(np.ones((1, 4), np.float32)))
    assert os.listdir(work) == []  # no IR files: save_graphs was never the process's


def test_what_the_process_keeps_of_zoo_code_is_cleared_together(vision_env):
    import hub
    from hub.inference import resolve
    from hub.routes.zoo import forget_zoo_code, state
    from hub.routes.zoo.builders import conf

    hub.load(uid("graphsnet_cifar10"), pretrained=False)
    hub.preprocess(uid("resnet50_imagenet2012"))
    assert {"zoo modules", "hub conf variants", "preprocessing"} <= set(state.kept())
    assert any(name.startswith("_mshub_zoo_") for name in sys.modules) and resolve._CACHE
    assert forget_zoo_code() > 0
    assert not any(name.startswith("_mshub_zoo_") for name in sys.modules)
    assert not resolve._CACHE and not conf._NO_VARIANTS and not conf._CHOSEN


def test_zoo_code_that_closes_the_stream_it_prints_to_closes_nothing_of_the_process(tmp_path, capfd):
    """pcb_rpp's eval.py wraps ``sys.stdout`` in a Logger whose ``close()`` (run when it is collected) closes the
    stream it wrapped: the hub's stderr, had the hub given it. Afterwards the process prints as before."""
    from hub.routes.zoo.sandbox.run import running_zoo_code

    code = tmp_path / "code"
    code.mkdir()
    out, err = sys.stdout, sys.stderr
    with running_zoo_code(code):
        print("zoo code prints")
        wrapped = sys.stdout
        sys.stdout = sys.stderr = open(os.devnull, "w")  # and replaces them
        wrapped.close()
    assert sys.stdout is out and sys.stderr is err and not sys.stderr.closed
    print("the user prints", file=sys.stderr)
    assert "the user prints" in capfd.readouterr().err
