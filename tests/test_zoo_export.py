"""The export route (the network a zoo directory's export.py exports), zoo code on today's MindSpore and
numpy, and ``hub loadable`` in worker processes; the zoo stand-in is ``export_repos`` (our own code)."""
from __future__ import annotations

import importlib
import json
import subprocess
import sys

import numpy as np
import pytest
from conftest import comparable_report, sha256_of
from export_repos import export_card, uid_of
from http_faults import FaultServer

import mindspore_hub as mshub
from hub.errors import HubError

pytestmark = pytest.mark.network  # builds MindSpore networks


USER_PROJECT = r"""
import json, os, sys
sys.argv = [sys.argv[0], "--user-flag", "7", "--num_classes", "99"]
import numpy as np
import mindspore as ms
import src, model_utils
ms.set_context(mode=ms.PYNATIVE_MODE, device_target="CPU")
import mindspore_hub as mshub
before = {"cwd": os.getcwd(), "path": list(sys.path), "argv": list(sys.argv), "files": sorted(os.listdir("."))}
out = {}
for key, uid, kwargs in [("args", "mindspore/1.9/exportargs_x", {}), ("yaml", "mindspore/1.9/exportyaml_x", {}),
                         ("yaml7", "mindspore/1.9/exportyaml_x", {"num_classes": 7}),
                         ("args11", "mindspore/1.9/exportargs_x", {"num_classes": 11})]:
    net = mshub.load(uid, pretrained=False, **kwargs)
    out[key] = {"params": sum(int(np.prod(p.shape)) for p in net.get_parameters()),
                "classes": int(net.fc.weight.shape[0]), "route": net.load_report.route,
                "inputs": [list(t.shape) for t in net.example_inputs],
                "seen": list(getattr(net, "seen_options", ()))}
after = {"cwd": os.getcwd(), "path": list(sys.path), "argv": list(sys.argv), "files": sorted(os.listdir("."))}
import src as src_again, model_utils as mu_again
out["kept"] = before == after and src_again is src and mu_again is model_utils
out["context"] = [ms.get_context("device_target"), ms.get_context("mode"), ms.get_context("device_id")]
out["env"] = os.environ.get("DEVICE_ID")
print(json.dumps(out))
"""


def test_export_route_in_a_user_project(export_env, tmp_path):
    project = tmp_path / "project"
    for package in ("src", "model_utils"):
        (project / package).mkdir(parents=True)
        (project / package / "__init__.py").write_text(f'OWNER = "user {package}"\n')
    run = subprocess.run([sys.executable, "-c", USER_PROJECT], cwd=project, env=export_env, capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    lines = run.stdout.strip().splitlines()
    assert len(lines) == 1, run.stdout[-2000:]  # the zoo code's prints went to stderr
    assert "export.py of exportargs is running" in run.stderr and "config:" in run.stderr
    out = json.loads(lines[0])
    width4, width6 = 3 * 4 * 9, 3 * 6 * 9  # Conv2d has no bias by default
    assert out["args"] == {"params": width4 + 4 * 5 + 5, "classes": 5, "route": "export", "inputs": [[2, 3, 8, 8]],
                           "seen": ["CPU", "MINDIR", True]}
    assert out["yaml"]["classes"] == 3 and out["yaml"]["params"] == width6 + 6 * 3 + 3
    assert out["yaml"]["inputs"] == [[1, 3, 8, 8]]
    assert out["yaml7"]["classes"] == 7 and out["args11"]["classes"] == 11
    assert out["kept"] is True
    assert out["context"] == ["CPU", 1, 0]  # the script's set_context(device_target="Ascend", mode=GRAPH) undone
    assert out["env"] is None


def test_unknown_override_lists_the_keys_offered(export_env):
    with pytest.raises(HubError, match=r"exportyaml_x.*no option or config key nope.*batch_size.*num_classes"):
        mshub.load(uid_of("exportyaml"), pretrained=False, nope=1)
    with pytest.raises(HubError, match=r"takes its options by name"):
        mshub.load(uid_of("exportyaml"), 3, pretrained=False)


def test_two_exports_give_the_first_and_say_so(export_env):
    net = mshub.load(uid_of("exporttwo"), pretrained=False)
    assert type(net).__name__ == "Scaler"
    notes = " ".join(net.load_report.notes)
    assert "exports 2 networks" in notes and "this is the first" in notes
    assert "failed after its export (RuntimeError" in notes
    import mindspore as ms

    ms.set_context(mode=ms.GRAPH_MODE)  # a Cell defined in export.py itself compiles
    try:
        assert net(ms.Tensor(np.ones([1, 4]), ms.float32)).shape == (1, 4)
    finally:
        ms.set_context(mode=ms.PYNATIVE_MODE)


def test_a_script_that_needs_a_data_file_names_it(export_env):
    with pytest.raises(HubError, match=r"exportdata_x.*reads data/vocab.txt.*cannot run without it") as caught:
        mshub.load(uid_of("exportdata"), pretrained=False)
    assert caught.value.kind == "data-file"


def test_hub_conf_needing_arguments_falls_back_to_export(export_env):
    net = mshub.load(uid_of("needsargs"), pretrained=False)
    assert net.load_report.route == "export" and int(net.fc.weight.shape[0]) == 9
    assert "needs arguments the call did not give" in net.load_report.notes[0]
    given = mshub.load(uid_of("needsargs"), pretrained=False, num_classes=4)  # the hub conf, as asked
    assert given.load_report.route == "zoo" and int(given.fc.weight.shape[0]) == 4
    with pytest.raises(HubError, match=r"keyarg_x.*needs arguments: it reads the keyword 'num_classes'") as caught:
        mshub.load(uid_of("keyarg"), pretrained=False)
    assert caught.value.kind == "arguments"


def test_removed_names_are_supplied_to_zoo_code_only(export_env):
    import mindspore as ms
    from mindspore import nn, ops

    net = mshub.load(uid_of("oldnames"), pretrained=False)
    used = " ".join(net.load_report.notes)
    for name in ("np.bool -> bool", "np.int -> int", "ms_function -> mindspore.jit", "Validator", "Rel",
                 "nn.ResizeBilinear", "ops.ResizeBilinear", "Tensor.to_tensor -> Tensor.init_data",
                 "vocab_cache_size", "mindspore.dataset.vision.c_transforms -> mindspore.dataset.vision",
                 "mindspore.dataset.transforms.c_transforms -> mindspore.dataset.transforms",
                 "mindspore.profiler.profiling -> mindspore.profiler"):
        assert name in used, name
    assert "ops.ScalarCast(x, a narrow type) -> int(x) / float(x)" in used
    assert (net.blocks, net.keep, net.wide) == (2, 0.75, 3)
    assert (type(net.blocks), type(net.keep), type(net.wide)) == (int, float, int)
    out = net(ms.Tensor(np.arange(16, dtype=np.float32).reshape(1, 1, 4, 4)))
    assert out.shape == (1, 1, 2, 2)
    with pytest.raises(ValueError, match="ScalarCast"):  # outside zoo code, today's ScalarCast
        ops.ScalarCast()(2.9, ms.int32)
    for owner, name in ((np, "bool"), (ms, "ms_function"), (nn, "ResizeBilinear"), (ops, "ResizeBilinear"),
                        (ms.Tensor, "to_tensor")):
        assert not hasattr(owner, name), name
    with pytest.raises(TypeError):
        nn.EmbeddingLookup(10, 4, vocab_cache_size=0)
    for removed in ("mindspore.dataset.vision.c_transforms", "mindspore.profiler.profiling"):
        with pytest.raises(ModuleNotFoundError):
            importlib.import_module(removed)
    assert importlib.import_module("mindspore.dataset.vision").__spec__.name == "mindspore.dataset.vision"
    for parent in ("mindspore.dataset.vision", "mindspore.dataset.transforms"):  # the import set no attribute
        assert not hasattr(importlib.import_module(parent), "c_transforms"), parent


def test_construct_runs_as_a_1x_graph_ran_it(export_env):
    """Outside zoo code, in PYNATIVE mode: / of two ints in construct is 1.x's int (the CellList index
    i / 4 * 2 is group 0 for every layer, not 0.5 or 1.5), Cast of the absent labels gives None, ScalarToArray
    a 0-D int32 tensor; the construct's source, which a GRAPH-mode compile reads, is the zoo's own."""
    import inspect

    import mindspore as ms

    from hub.routes.zoo.compat.graph_division import NOTE, graph_div, written_for_1x
    from hub.routes.zoo.compat.supplied import removed_names_supplied

    net = mshub.load(uid_of("olddivide"), pretrained=False)
    x = ms.Tensor(np.arange(8, dtype=np.float32).reshape(2, 4))
    expected = x
    for _ in range(4):
        expected = net.groups[0](expected)
    expected = expected.asnumpy().reshape(4, 2) * 3
    assert np.allclose(net(x).asnumpy(), expected)
    assert "i / self.layers * 2" in inspect.getsource(type(net).construct)
    assert any("ops.ScalarToArray" in n for n in net.load_report.notes)
    with removed_names_supplied() as used:  # the forward of ``hub loadable --run`` says what was applied
        net(x)
    assert NOTE in used and any(n.startswith("ops.Cast()(None, t) -> None") for n in used)
    assert [graph_div(7, 2), graph_div(-7, 2), graph_div(7, -2), graph_div(7.0, 2), graph_div(True, 2)] == \
        [3, -3, -3, 3.5, 0.5]
    with pytest.raises(ZeroDivisionError):
        graph_div(1, 0)
    # code of 2.x releases was written for graphs that divide ints as Python does: left as it is
    assert [written_for_1x(r) for r in ("r1.9", "r1.10", "v0.5", "master", "r2.0", "")] == \
        [True, True, True, False, False, False]


def test_a_missing_package_names_the_extra(export_env, monkeypatch):
    monkeypatch.setitem(sys.modules, "easydict", None)  # as if it were not installed
    with pytest.raises(HubError, match=r"needs the module 'easydict'.*pip install 'mshub-registry\[zoo\]'"):
        mshub.load(uid_of("needsextra"), pretrained=False)


def test_pretrained_export_card_loads_every_parameter(export_env, tmp_path, monkeypatch):
    import mindspore as ms

    net = mshub.load(uid_of("exportargs"), pretrained=False)
    for i, p in enumerate(net.get_parameters()):
        p.set_data(ms.Tensor(np.full(p.shape, 0.5 + i, np.float32)))
    path = tmp_path / "exportargs.ckpt"
    ms.save_checkpoint(net, str(path))
    expected = {p.name: p.asnumpy() for p in net.get_parameters()}
    with FaultServer(tmp_path / "served") as server:
        server.add_file("/models/r1.9/exportargs.ckpt", path.read_bytes())
        catalog = tmp_path / "catalog" / "mindspore" / "1.9"
        catalog.mkdir(parents=True)
        (catalog / "exportargs_x.md").write_text(export_card("exportargs").replace("a" * 64,
                                                                                  sha256_of(path.read_bytes())))
        monkeypatch.setenv("MSHUB_ENDPOINT", server.url)
        monkeypatch.setenv("MSHUB_CATALOG", str(tmp_path / "catalog"))
        loaded = mshub.load(uid_of("exportargs"))
    report = loaded.load_report
    assert report.pretrained and len(report.loaded) == len(expected) and not report.fresh
    assert all((p.asnumpy() == expected[p.name]).all() for p in loaded.get_parameters())


def test_loadable_in_workers_equals_one_process(export_env, tmp_path, hub_env):
    catalog = hub_env / ".catalogs" / "gitee" / "mshub_res" / "assets"
    reports = []
    for jobs in ("1", "2"):
        run = subprocess.run([sys.executable, "-m", "hub", "loadable", "--catalog", str(catalog), "--json",
                              "--jobs", jobs], env=export_env, cwd=tmp_path, capture_output=True, text=True,
                             timeout=600)
        assert run.returncode == 0, run.stderr[-3000:]
        reports.append(json.loads(run.stdout))  # nothing but the JSON document on stdout
        assert "export.py of exportargs is running" in run.stderr
    one, two = map(comparable_report, reports)
    assert one == two
    got = {o["uid"].split("/")[-1]: (o["route"], o["ok"], o["kind"]) for o in one["outcomes"]}
    got.pop("needsextra_x")  # builds or not, as the environment has easydict or not
    assert got == {"exportargs_x": ("export", True, ""), "exportyaml_x": ("export", True, ""),
                   "exporttwo_x": ("export", True, ""), "exportdata_x": ("export", False, "data-file"),
                   "needsargs_x": ("export", True, ""), "keyarg_x": ("zoo", False, "arguments"),
                   "sized_x": ("zoo", False, "arguments"),
                   "oldnames_x": ("zoo", True, ""), "narrowhead_x": ("zoo", True, ""),
                   "widehead_x": ("zoo", True, ""), "wronginputs_x": ("export", True, ""),
                   "oldgather_x": ("export", True, ""), "samenet_x": ("zoo", True, ""),
                   "headnet_x": ("zoo", True, ""),
                   "slownet_x": ("export", True, ""), "olddivide_x": ("export", True, "")}


def test_prefetch_lays_out_each_directory_as_a_fetch_would(export_env, monkeypatch):
    from export_repos import DIRS

    from hub.cards import parse_repo_link
    from hub.routes.zoo import fetch_code_dir, prefetch

    names = ("exportargs", "exportyaml", "oldnames")
    refs = [parse_repo_link(f"https://gitee.com/mindspore/models/tree/r1.9/official/cv/{d}") for d in names]
    assert prefetch(refs) == 3 and prefetch(refs) == 0  # one clone; then all cached
    monkeypatch.setenv("MSHUB_OFFLINE", "1")  # from the cache only
    for name, ref in zip(names, refs):
        code = fetch_code_dir(ref, uid_of(name))
        files = sorted(str(p.relative_to(code.path)) for p in code.path.rglob("*") if p.is_file())
        assert files == sorted(DIRS[name]) and len(code.commit) == 40
        assert (code.checkout / "README.md").is_file()  # the repository's top-level files, as a sparse clone has


def test_scalar_cast_in_a_compiled_graph_is_todays_primitive(tmp_path, monkeypatch):
    """1.x's ScalarCast is supplied for calls outside a graph; inside one, the compiler sees the primitive it
    sees today: a type 2.10 takes casts as it does, a narrow one fails as it does."""
    import mindspore as ms
    monkeypatch.chdir(tmp_path)  # where MindSpore writes the failed graph (rank_0/om/analyze_fail.ir)
    from mindspore import ops

    from hub.routes.zoo.compat.supplied import removed_names_supplied

    with removed_names_supplied():
        supplied = ops.ScalarCast()
    today = ops.ScalarCast()
    assert type(supplied) is not type(today) and supplied.name == today.name == "ScalarCast"

    def scaled(cast):
        @ms.jit
        def run(x):
            return x * cast(2.5, ms.float64)
        return run(ms.Tensor(np.ones(2, np.float32))).asnumpy().tolist()

    assert scaled(supplied) == scaled(today) == [2.5, 2.5]

    def narrow(cast):
        @ms.jit
        def run(x):
            return x * cast(2.5, ms.int32)
        with pytest.raises(Exception) as caught:
            run(ms.Tensor(np.ones(2, np.float32)))
        return type(caught.value), "mindspore.int64" in str(caught.value)

    assert narrow(supplied) == narrow(today) == (ValueError, True)


def test_ops_dot_takes_its_1x_operand_names_while_zoo_code_runs():
    """1.x ``ops.dot(x1=, x2=)`` (MMoE's gate): the same product by 2.x's ``input``/``other``, noted; outside
    zoo code ``ops.dot`` is today's again."""
    import mindspore as ms
    import numpy as np
    from mindspore import ops

    from hub.routes.zoo.compat.supplied import DOT_NOTE, removed_names_supplied

    x = ms.Tensor(np.arange(6, dtype=np.float32).reshape(2, 3))
    k = ms.Tensor(np.arange(12, dtype=np.float32).reshape(3, 4))
    with removed_names_supplied() as used:
        assert used == [] and ops.dot(x, k).shape == (2, 4)  # positional calls are not noted
        assert np.array_equal(ops.dot(x1=x, x2=k).asnumpy(), x.asnumpy() @ k.asnumpy())
    assert used == [DOT_NOTE]
    with pytest.raises(TypeError, match="x1"):
        ops.dot(x1=x, x2=k)


def test_recurrent_layers_take_an_int_dropout_while_zoo_code_runs():
    """1.x ``nn.LSTM(..., dropout=0)`` and ``nn.GRU(..., 0)`` (GNMT v2, crnn_seq2seq_ocr): the same layers with a
    float probability, noted; outside zoo code 2.x refuses the int again."""
    from mindspore import nn

    from hub.routes.zoo.compat.supplied import RNN_DROPOUT_NOTE, removed_names_supplied

    with removed_names_supplied() as used:
        assert nn.LSTM(4, 8, dropout=0.0).dropout == 0.0 and used == []  # a float is not noted
        lstm = nn.LSTM(4, 8, num_layers=1, has_bias=True, batch_first=False, dropout=0)
        gru = nn.GRU(4, 8, 1, True, False, 0)  # positionally
    assert used == [RNN_DROPOUT_NOTE]  # said once
    assert (lstm.dropout, type(lstm.dropout), gru.dropout, type(gru.dropout)) == (0.0, float, 0.0, float)
    assert [tuple(p.shape) for p in lstm.get_parameters()] == [tuple(p.shape) for p in nn.LSTM(4, 8).get_parameters()]
    with pytest.raises(TypeError, match="dropout"):
        nn.GRU(4, 8, dropout=0)


def test_moxing_imports_as_a_stand_in_inside_zoo_code_only():
    """Zoo scripts import ModelArts' moxing beside networks that never use it: it imports, and raises on use."""
    from hub.errors import RemovedApiError
    from hub.routes.zoo.compat.supplied import removed_names_supplied

    with removed_names_supplied() as used:
        import moxing as mox
        import moxing.framework  # noqa: F401
        with pytest.raises(RemovedApiError, match=r"moxing\.file\.copy_parallel is not available here \(Huawei "):
            mox.file.copy_parallel("obs://bucket/data", "/cache/data")
    assert any(n.startswith("moxing -> a stand-in") for n in used)
    assert "moxing" not in sys.modules and "moxing.framework" not in sys.modules
    with pytest.raises(ImportError):
        import moxing  # noqa: F401,F811


def test_dynamic_rnn_off_ascend_is_the_lstm_mindspores_own_lstm_hands_it():
    """``ops.DynamicRNN`` has an Ascend kernel only (CTPN's BiLSTM calls it): made while zoo code runs, it computes
    the LSTM MindSpore's ``nn.LSTM`` computes from the same weights in the layout ``nn.LSTM`` gives it on Ascend
    (gates i, f, g, o there; i, g, f, o here), noted; outside zoo code ``ops.DynamicRNN`` is today's."""
    import mindspore as ms
    from mindspore import nn, ops

    from hub.routes.zoo.compat.ascend_only import DYNAMIC_RNN_NOTE
    from hub.routes.zoo.compat.supplied import removed_names_supplied

    steps, batch, size, hidden = 5, 2, 3, 4
    lstm = nn.LSTM(size, hidden)
    rng = np.random.default_rng(7)
    x = ms.Tensor(rng.standard_normal((steps, batch, size)).astype(np.float32))
    h0 = ms.Tensor(rng.standard_normal((1, batch, hidden)).astype(np.float32))
    c0 = ms.Tensor(rng.standard_normal((1, batch, hidden)).astype(np.float32))
    expected, (h_n, c_n) = lstm(x, (h0, c0))  # time-major, as DynamicRNN
    weights = {p.name.split(".")[-1]: p.asnumpy() for p in lstm.get_parameters()}
    w_ih = next(v for k, v in weights.items() if k.startswith("weight_ih"))
    w_hh = next(v for k, v in weights.items() if k.startswith("weight_hh"))
    bias = next(v for k, v in weights.items() if k.startswith("bias_ih")) + \
        next(v for k, v in weights.items() if k.startswith("bias_hh"))

    def ascend_order(a):  # i, f, g, o -> i, g, f, o
        i, f, g, o = np.split(a, 4, axis=0)
        return np.concatenate((i, g, f, o), axis=0)

    w = ms.Tensor(np.concatenate((ascend_order(w_ih), ascend_order(w_hh)), axis=1).T.copy())
    b = ms.Tensor(ascend_order(bias))
    with removed_names_supplied() as used:
        rnn = ops.DynamicRNN(forget_bias=0.0)
    assert used == [DYNAMIC_RNN_NOTE]  # said when a network that holds one is built
    assert type(rnn) is not ops.DynamicRNN and isinstance(rnn, ops.DynamicRNN)
    with removed_names_supplied() as used:
        y, h, c, i, j, f, o, tanh_c = rnn(x, w, b, None, h0, c0)
    assert used == [DYNAMIC_RNN_NOTE]
    assert y.shape == h.shape == c.shape == (steps, batch, hidden) and y.dtype == ms.float32
    np.testing.assert_allclose(y.asnumpy(), expected.asnumpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(h.asnumpy()[-1], h_n.asnumpy()[0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(c.asnumpy()[-1], c_n.asnumpy()[0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(tanh_c.asnumpy(), np.tanh(c.asnumpy()), rtol=1e-5, atol=1e-6)
    with pytest.raises(RuntimeError, match="Unsupported op \\[DynamicRNN\\] on CPU"):  # today's, outside zoo code
        ops.DynamicRNN(forget_bias=0.0)(x.astype(ms.float16), w.astype(ms.float16), b.astype(ms.float16), None,
                                        h0.astype(ms.float16), c0.astype(ms.float16)).asnumpy()


def test_0x_names_of_ghostnet_quant_and_a_removed_function_imported_unused():
    """0.x's ``mindspore.dataset.transforms.vision`` (moved to ``mindspore.dataset.vision`` by 1.0, ``Inter`` and
    all) and ``Parameter.set_parameter_data`` (renamed ``set_data`` by 1.0, same arguments) are their 2.x names
    in zoo code; 1.x's ``initializer.random_normal``, with no exact equivalent, imports as a stand-in that
    raises when called (MVD imports it for an initializer its network never applies). Outside zoo code none is
    there."""
    import mindspore as ms
    from mindspore.dataset import vision

    from hub.errors import RemovedApiError
    from hub.routes.zoo.compat.supplied import removed_names_supplied

    with removed_names_supplied() as used:
        from mindspore.common.initializer import random_normal
        from mindspore.dataset.transforms.vision import Inter
        assert Inter is vision.Inter and Inter.BICUBIC is vision.Inter.BICUBIC
        param = ms.Parameter(ms.Tensor(np.zeros(3, np.float32)), name="w")
        param.set_parameter_data(ms.Tensor(np.ones(3, np.float32)))
        assert param.asnumpy().tolist() == [1.0, 1.0, 1.0]
        with pytest.raises(RemovedApiError, match=r"mindspore\.common\.initializer\.random_normal is a removed "
                                                  r"MindSpore API \(1\.x's random_normal\(shape, seed, seed2"):
            random_normal((3,), 0, 0, ms.Tensor(np.zeros(3, np.float32)))
    for note in ("mindspore.dataset.transforms.vision -> mindspore.dataset.vision",
                 "Parameter.set_parameter_data -> Parameter.set_data",
                 "mindspore.common.initializer.random_normal -> a stand-in that raises on use"):
        assert any(n.startswith(note) for n in used), note
    assert not hasattr(ms.Parameter, "set_parameter_data")
    assert "mindspore.dataset.transforms.vision" not in sys.modules
    with pytest.raises(ImportError):
        from mindspore.common.initializer import random_normal  # noqa: F401,F811
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("mindspore.dataset.transforms.vision")


def test_a_name_the_zoo_code_never_binds_is_said_to_be_the_zoos_error(tmp_path):
    """pvnet's ``src/net_utils.py`` subclasses ``EasyDict`` and never imports it: the error says so; a name the
    file does bind somewhere (in a branch the options did not take) is not said to be unbound."""
    from hub.routes.zoo.failures import never_bound

    def raised(source: str) -> NameError:
        path = tmp_path / "src" / "net_utils.py"
        path.parent.mkdir(exist_ok=True)
        path.write_text(source)
        try:
            exec(compile(source, str(path), "exec"), {})
        except NameError as exc:
            return exc
        raise AssertionError("no NameError")

    assert never_bound(raised("import numpy as np\n\n\nclass AverageMeter(EasyDict):\n    pass\n"),
                       tmp_path) == "src/net_utils.py"
    assert never_bound(raised("if False:\n    num_class = 101\nprint(num_class)\n"), tmp_path) is None
    assert never_bound(raised("from os import *\nprint(EasyDict)\n"), tmp_path) is None


def test_yaml_load_without_a_loader_is_the_safe_loader_for_zoo_code_only():
    """ICNet's export.py calls ``yaml.load(f)``, as PyYAML before 6 took it: zoo code gets the safe loader (a plain
    config reads as it did; a Python tag is refused), and everyone else's call is PyYAML's own."""
    import yaml

    from hub.routes.zoo.compat.supplied import YAML_LOAD_NOTE, removed_names_supplied

    with removed_names_supplied() as used:
        assert yaml.load("crop_size: [960, 1920]\nbackbone: resnet50\n") == {"crop_size": [960, 1920],
                                                                           "backbone": "resnet50"}
        with pytest.raises(yaml.constructor.ConstructorError, match="python/object/apply:os.system"):
            yaml.load("!!python/object/apply:os.system ['true']")
    assert used == [YAML_LOAD_NOTE]
    with pytest.raises(TypeError, match="Loader"):
        yaml.load("a: 1")
