"""Zoo code runs without side effects (``hub.routes.zoo.sandbox.guard``): two stand-in zoo directories of our own
writing at r1.8 (a hub conf and an export script, and an eval script run as the eval route will run it)
try commands, writes, removals, renames, a folder, a TCP connection, a signal, an environment change and
``os._exit``; the user's process, files, server and environment see none of it, and the reports say what
was refused."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from conftest import REPO
from export_repos import use_repos
from zoo_repos import build_repos, stand_in_card

pytestmark = pytest.mark.network  # builds MindSpore networks

MISBEHAVE = '''
import os
import shutil
import signal
import socket
import subprocess
import tempfile

TARGET = os.environ["GUARD_TARGET"]  # the user's project
PORT = int(os.environ["GUARD_PORT"])  # a server of the user's on 127.0.0.1
REFUSED = []


def attempt(name, action):
    try:
        action()
    except PermissionError:
        REFUSED.append(name)


def misbehave():
    status = os.system("touch " + os.path.join(TARGET, "made-by-system") + " && make")
    attempt("subprocess", lambda: subprocess.run(["touch", os.path.join(TARGET, "made-by-subprocess")]))
    attempt("write", lambda: open(os.path.join(TARGET, "notes.txt"), "w").write("zoo"))
    attempt("remove", lambda: os.remove(os.path.join(TARGET, "precious.txt")))
    attempt("rmtree", lambda: shutil.rmtree(os.path.join(TARGET, "data")))
    attempt("rename", lambda: os.rename(os.path.join(TARGET, "keep.txt"), os.path.join(TARGET, "renamed.txt")))
    attempt("mkdir", lambda: os.makedirs(os.path.join(TARGET, "outputs")))  # not made, and no error: goes on
    attempt("connect", lambda: socket.create_connection(("127.0.0.1", PORT), timeout=5))
    attempt("kill", lambda: os.kill(os.getpid(), signal.SIGTERM))
    os.environ["GUARD_LEAK"] = "set by zoo code"
    os.environ.pop("GUARD_KEEP", None)
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "own.log"), "w") as log:
        log.write("its own directory")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as scratch:
        scratch.write("the run's scratch directory")
    return {"status": status, "refused": REFUSED, "scratch": scratch.name}
'''
FOUR = '''
import mindspore.nn as nn


class FourParams(nn.Cell):
    def __init__(self):
        super().__init__()
        self.a = nn.Dense(4, 4)
        self.b = nn.Dense(4, 2)

    def construct(self, x):
        return self.b(self.a(x))
'''
HUB_CONF = MISBEHAVE + '''
from src.four import FourParams

SEEN = misbehave()  # at import, as a hub conf's module code runs


def create_network(name, *args, **kwargs):
    net = FourParams()
    net.zoo_seen = SEEN
    return net
'''
EXPORT = MISBEHAVE + '''
import numpy as np
import mindspore as ms
from src.four import FourParams

if __name__ == "__main__":
    seen = misbehave()
    net = FourParams()
    net.zoo_seen = seen
    ms.export(net, ms.Tensor(np.ones([1, 4]), ms.float32), file_name="four", file_format="MINDIR")
    os._exit(7)
'''
NEEDS_BUILD = '''
import os

os.system("cd external && make && python setup.py install")
from nms_ext import nms  # what the command would have built


def create_network(name, *args, **kwargs):
    return None
'''
DIRS = {"guardconf": {"mindspore_hub_conf.py": HUB_CONF, "src/four.py": FOUR},
        "guardexport": {"export.py": EXPORT, "src/four.py": FOUR},
        "guardneedsbuild": {"mindspore_hub_conf.py": NEEDS_BUILD}}
RELEASE = "r1.8"
UIDS = {d: f"mindspore/1.8/{d}_x" for d in DIRS}

USER = r"""
import json, os, sys, threading, time
import mindspore  # noqa: its import sets variables of its own (LD_LIBRARY_PATH...)
import mindspore_hub as mshub
env_before = dict(os.environ)
stop, statuses = threading.Event(), []


def user_work():  # the user's own thread, running commands and writing files while zoo code runs
    n, here = 0, os.getcwd()
    while not stop.is_set():
        statuses.append(os.system(f"touch {here}/user-system-{n}"))
        with open(f"{here}/user-write-{n}", "w") as f:
            f.write("mine")
        n += 1
        time.sleep(0.01)


thread = threading.Thread(target=user_work)
thread.start()
out = {}
for uid in sys.argv[1:]:
    net = mshub.load(uid, pretrained=False)
    out[uid] = {"parameters": len(list(net.get_parameters())), "notes": net.load_report.notes,
                "seen": net.zoo_seen, "scratch_left": os.path.exists(net.zoo_seen["scratch"])}
stop.set()
thread.join()
out["user"] = {"statuses": sorted(set(statuses)), "runs": len(statuses),
               "written": len([n for n in os.listdir(".") if n.startswith("user-write-")])}
out["env_diff"] = sorted(set(dict(os.environ).items()) ^ set(env_before.items()))
print(json.dumps(out))
"""


def _card(directory: str) -> str:
    return stand_in_card(directory, RELEASE, f"official/cv/{directory}", f"{directory}.ckpt")


@pytest.fixture(scope="module")
def guard_git_config(tmp_path_factory):
    files = {f"official/cv/{d}/{rel}": text for d, tree in DIRS.items() for rel, text in tree.items()}
    catalog = {f"mshub_res/assets/{UIDS[d]}.md": _card(d) for d in DIRS}
    return build_repos(tmp_path_factory.mktemp("guard-repos"), {RELEASE: {"README.md": "zoo stand-in\n", **files}},
                       catalog)


def _project(root: Path) -> Path:
    """A user's project: files and folders the zoo code goes after."""
    project = root / "project"
    (project / "data" / "train").mkdir(parents=True)
    (project / "data" / "train" / "0.bin").write_bytes(b"\x00" * 64)
    for name, text in (("precious.txt", "the user's"), ("keep.txt", "also the user's"), ("Makefile", "all:\n")):
        (project / name).write_text(text)
    return project


def _snapshot(folder: Path) -> dict:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if not p.name.startswith("user-")}


@pytest.fixture
def server():
    """A TCP server of the user's on 127.0.0.1: a connection made to it waits in its backlog."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener


def _connections(listener: socket.socket) -> int:
    listener.setblocking(False)
    count = 0
    while True:
        try:
            listener.accept()[0].close()
            count += 1
        except BlockingIOError:
            return count


@pytest.fixture
def guard_env(guard_git_config, monkeypatch, hub_env, tmp_path, server):
    project = _project(tmp_path)
    env = use_repos(guard_git_config, monkeypatch, tmp_path)
    return {**env, "GUARD_TARGET": str(project), "GUARD_PORT": str(server.getsockname()[1]), "GUARD_KEEP": "kept"}


def test_two_directories_in_one_process_build_and_nothing_leaks(guard_env, tmp_path, server):
    project = tmp_path / "project"
    before = _snapshot(project)
    run = subprocess.run([sys.executable, "-c", USER, UIDS["guardconf"], UIDS["guardexport"]], cwd=project,
                         env=guard_env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]  # the export's os._exit(7) did not end the process
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert _snapshot(project) == before  # nothing created, changed, renamed or removed
    assert _connections(server) == 0
    assert out["env_diff"] == []  # GUARD_LEAK gone, GUARD_KEEP back, DEVICE_ID and the like unset again
    # the user's thread ran its commands and wrote its files all along (a command of its may still fail
    # with 127 when it forks while zoo code sets a variable: the C environment is not thread-safe)
    assert 0 in out["user"]["statuses"] and 126 << 8 not in out["user"]["statuses"]
    assert out["user"]["written"] == out["user"]["runs"] > 0
    for directory, code in (("guardconf", "mindspore_hub_conf.py"), ("guardexport", "export.py")):
        built = out[UIDS[directory]]
        assert built["parameters"] == 4
        assert os.waitstatus_to_exitcode(built["seen"]["status"]) == 126  # the script carried past it
        assert built["seen"]["refused"] == ["subprocess", "write", "remove", "rmtree", "rename", "connect", "kill"]
        assert built["scratch_left"] is False  # its scratch directory went with the run
        notes = "\n".join(built["notes"])
        target = str(project)
        for call in (f"os.system('touch {target}/made-by-system && make')",
                     f"subprocess.Popen('touch {target}/made-by-subprocess')", f"open('{target}/notes.txt', 'w')",
                     f"os.remove('{target}/precious.txt')", f"shutil.rmtree('{target}/data')",
                     f"os.rename('{target}/keep.txt', '{target}/renamed.txt')",
                     f"os.mkdir('{target}/outputs') (not made; the code went on)",
                     "socket.getaddrinfo('127.0.0.1', ", "os.kill("):
            assert f"refused: {call}" in notes, (call, notes)
        assert f" at {code}:" in notes and "own.log" not in notes and ".txt', 'w') at" in notes
        assert f"mshub: {UIDS[directory]}: not pretrained" in run.stderr
    export_notes = "\n".join(out[UIDS["guardexport"]]["notes"])
    assert "refused: os._exit(7) at export.py:" in export_notes
    assert "export.py failed after its export (ZooExit" in export_notes
    assert "refused: os.system('touch" in [line for line in run.stderr.splitlines()
                                           if line.startswith(f"mshub: {UIDS['guardexport']}")][0]


EVAL = MISBEHAVE + '''
import threading

if __name__ == "__main__":
    seen = misbehave()
    statuses = []
    worker = threading.Thread(target=lambda: statuses.append(os.system("make")))  # a thread of its own: guarded
    worker.start()
    worker.join()
    seen["thread"] = statuses
    SEEN.update(seen)
    os._exit(3)
'''
EVAL_RUN = r"""
import json, os, sys
from pathlib import Path
from hub.routes.zoo.sandbox.namespace import run_as_main
from hub.routes.zoo.sandbox.run import running_zoo_code
directory = Path(sys.argv[1])
env_before = dict(os.environ)
seen = {}
try:
    with running_zoo_code(directory, fresh=True, cwd=directory, script=True) as run:
        __import__("builtins").SEEN = seen  # what the script saw, handed back
        run_as_main(directory / "eval.py")
except SystemExit as exc:
    seen["exit"] = [type(exc).__name__, exc.code]
print(json.dumps({"seen": seen, "refused": [[r.kind, r.detail, r.at] for r in run.guard.refused],
                  "env_same": dict(os.environ) == env_before}))
"""


def test_an_eval_script_run_as_zoo_code_is_refused_each_kind(tmp_path, server):
    """The eval route runs a script inside ``running_zoo_code`` as the export route does: the same guard."""
    code = tmp_path / "zoo" / "official" / "cv" / "evalnet"
    code.mkdir(parents=True)
    (code / "eval.py").write_text(EVAL)
    project = _project(tmp_path)
    before = _snapshot(project)
    env = {**os.environ, "PYTHONPATH": str(REPO), "GUARD_TARGET": str(project),
           "GUARD_PORT": str(server.getsockname()[1]), "GUARD_KEEP": "kept"}
    run = subprocess.run([sys.executable, "-c", EVAL_RUN, str(code)], cwd=project, env=env, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["seen"]["exit"] == ["ZooExit", 3]
    assert out["seen"]["refused"] == ["subprocess", "write", "remove", "rmtree", "rename", "connect", "kill"]
    assert [os.waitstatus_to_exitcode(s) for s in (out["seen"]["status"], *out["seen"]["thread"])] == [126, 126]
    kinds = [kind for kind, _, _ in out["refused"]]
    assert kinds == ["command", "command", "write", "write", "write", "write", "write", "network", "signal",
                     "command", "exit"]
    assert all(at.startswith("eval.py:") for _, _, at in out["refused"])
    assert (code / "own.log").read_text() == "its own directory"
    assert _snapshot(project) == before and _connections(server) == 0 and out["env_same"] is True


BLOCKER = '''
import os
import subprocess


def hold(entered, release, target):
    status = os.system("true")
    entered.set()
    release.wait(60)
    try:
        subprocess.run(["true"])
        ran = True
    except PermissionError:
        ran = False
    try:
        open(os.path.join(target, "zoo.txt"), "w")
        wrote = True
    except PermissionError:
        wrote = False
    return status, ran, wrote
'''


def test_the_users_own_thread_is_unaffected_while_zoo_code_runs(tmp_path):
    from hub.routes.zoo.sandbox.guard import active
    from hub.routes.zoo.sandbox.run import running_zoo_code

    code = tmp_path / "zoo" / "blocker"
    code.mkdir(parents=True)
    (code / "blocking_zoo.py").write_text(BLOCKER)
    user = tmp_path / "user"
    user.mkdir()
    entered, release = threading.Event(), threading.Event()
    seen: dict = {}

    def users_thread():  # the user's code, started before the zoo code runs, working while it runs
        entered.wait(60)
        seen["guarded"] = active() is not None
        seen["system"] = os.system(f"touch {user / 'by-system'}")
        seen["run"] = subprocess.run(["touch", str(user / "by-subprocess")]).returncode
        (user / "written.txt").write_text("mine")
        os.remove(user / "written.txt")
        (user / "kept.txt").write_text("mine")
        seen["tempdir"] = tempfile.gettempdir()
        release.set()

    thread = threading.Thread(target=users_thread)
    thread.start()
    with running_zoo_code(code) as run:
        import blocking_zoo

        result = blocking_zoo.hold(entered, release, str(user))
        scratch = run.guard.scratch
        assert tempfile.gettempdir() == str(scratch)
    thread.join()
    assert result == (126 << 8, False, False)
    assert (seen["guarded"], seen["system"], seen["run"]) == (False, 0, 0)
    assert seen["tempdir"] != str(scratch) and tempfile.gettempdir() == seen["tempdir"]
    assert sorted(p.name for p in user.iterdir()) == ["by-subprocess", "by-system", "kept.txt"]
    assert [r.kind for r in run.guard.refused] == ["command", "command", "write"]
    assert all(r.at.startswith("blocking_zoo.py:") for r in run.guard.refused)
    assert not scratch.exists()
    assert os.system("true") == 0 and active() is None  # outside zoo code, as before


def test_loadable_counts_cards_whose_code_tried_refused_actions(guard_env, tmp_path, hub_env):
    catalog = hub_env / ".catalogs" / "gitee" / "mshub_res" / "assets"
    run = subprocess.run([sys.executable, "-m", "hub", "loadable", "--catalog", str(catalog), "--json", "--quiet",
                          "--jobs", "2"],  # in worker processes, as the survey runs
                         env=guard_env, cwd=tmp_path / "project", capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout)
    assert report["built"] == 2
    assert report["refused"] == {"command": 3, "write": 2, "network": 2, "signal": 2, "exit": 1}
    refused = {o["uid"]: o["refused"] for o in report["outcomes"]}
    assert refused == {UIDS["guardconf"]: ["command", "network", "signal", "write"],
                       UIDS["guardexport"]: ["command", "exit", "network", "signal", "write"],
                       UIDS["guardneedsbuild"]: ["command"]}


def test_a_build_that_fails_after_a_refusal_says_what_was_refused(guard_env):
    import mindspore_hub as mshub
    from hub.errors import HubError

    with pytest.raises(HubError, match=r"guardneedsbuild_x: .*needs the module 'nms_ext'.*; while it ran, the hub "
                                       r"refused: os\.system\('cd external && make && python setup\.py install'\) "
                                       r"at mindspore_hub_conf\.py:4$"):
        mshub.load(UIDS["guardneedsbuild"], pretrained=False)


def test_library_caches_go_to_the_scratch_directory_unless_the_user_chose_a_place(tmp_path, monkeypatch):
    """numba's and matplotlib's caches would be refused in site-packages or the home directory: while zoo
    code runs, their variables point into a folder of this process that every run may write (removed when
    the process exits), and are gone from the environment afterwards; a place the user set is kept."""
    from hub.routes.zoo.sandbox.guard import guarded

    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "mine"))
    code = tmp_path / "code"
    code.mkdir()
    for _ in range(2):  # a library fixes the place on import, in one run, and uses it in the next
        with guarded(code) as guard:
            cache = Path(os.environ["NUMBA_CACHE_DIR"])
            assert cache.parent != guard.scratch and not cache.is_relative_to(tmp_path)
            cache.mkdir(exist_ok=True)
            (cache / "index.nbi").write_text("compiled")  # allowed: the process's library caches
            assert os.environ["MPLCONFIGDIR"] == str(tmp_path / "mine")
            (tmp_path / "mine").mkdir()  # the user's place is the user's: not made (the code goes on)
            assert not (tmp_path / "mine").exists()
            with pytest.raises(PermissionError):
                (tmp_path / "mine.json").write_text("{}")
        assert "NUMBA_CACHE_DIR" not in os.environ and (cache / "index.nbi").read_text() == "compiled"
        assert os.environ["MPLCONFIGDIR"] == str(tmp_path / "mine")


def test_zoo_code_waiting_for_another_rank_is_refused_instead_of_hanging(tmp_path):
    """The zoo's eval scripts wait for the rank that writes their MindRecord (``while not os.path.exists(db):
    time.sleep(5)``): nothing here will write it, so the wait returns at once and, past its budget, is refused."""
    import time

    from hub.routes.zoo.sandbox.guard import ZooActionRefused, guarded

    code = tmp_path / "code"
    code.mkdir()
    start = time.perf_counter()
    with guarded(code) as guard:
        with pytest.raises(ZooActionRefused, match=r"time\.sleep\(5\).*wait for what a cluster would provide"):
            while not os.path.exists("/nonexistent/eval.mindrecord.db"):
                time.sleep(5)
    assert time.perf_counter() - start < 2 and [r.kind for r in guard.refused] == ["wait"]
    start = time.perf_counter()
    time.sleep(0.05)  # outside zoo code a sleep sleeps
    assert time.perf_counter() - start >= 0.05
