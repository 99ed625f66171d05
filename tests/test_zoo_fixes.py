"""The zoo's own fix for a file that uses a name it never imports (``hub.routes.zoo.source.fixes``): the import
from another file of the directory, or from the same file at a later release (its directory renamed), run in the
module's namespace before its code; a name the zoo never fixed stays the zoo's error. Stand-in zoo code only."""
from __future__ import annotations

import pytest
from export_repos import NET, use_repos
from zoo_repos import build_repos, stand_in_card

import mindspore_hub as mshub
from hub.errors import HubError

pytestmark = pytest.mark.network  # builds MindSpore networks

# pvnet's src/net_utils.py at r1.6 to r1.10: a subclass of a name it never imports
UNBOUND = '''
class Meter(OrderedDict):
    """Averages, by name."""
'''
FIXED = "from collections import OrderedDict\n" + UNBOUND
EXPORT = '''
import numpy as np
import mindspore as ms
from mindspore import Tensor, export

from src.net import TinyNet
from src.net_utils import Meter

if __name__ == "__main__":
    export(TinyNet(num_classes={classes}), Tensor(np.ones([1, 3, 8, 8]), ms.float32), file_name="t",
           file_format="MINDIR")
'''
BASE = "official/cv/"
R19 = {
    BASE + "meternet/export.py": EXPORT.format(classes=3), BASE + "meternet/src/net.py": NET,
    BASE + "meternet/src/net_utils.py": UNBOUND,
    # another file of the same directory imports the name
    BASE + "twofiles/export.py": EXPORT.format(classes=4), BASE + "twofiles/src/net.py": NET,
    BASE + "twofiles/src/net_utils.py": UNBOUND, BASE + "twofiles/src/other.py": FIXED,
    # never fixed
    BASE + "neverfixed/export.py": EXPORT.format(classes=5), BASE + "neverfixed/src/net.py": NET,
    BASE + "neverfixed/src/net_utils.py": UNBOUND,
}
# r2.0 renames meternet MeterNet and fixes the file there; the old directory stays as it was
R20 = {BASE + "MeterNet/export.py": EXPORT.format(classes=3), BASE + "MeterNet/src/net.py": NET,
       BASE + "MeterNet/src/net_utils.py": FIXED}
CARDS = {"meternet_x": "meternet", "twofiles_x": "twofiles", "neverfixed_x": "neverfixed"}


def uid(stem: str) -> str:
    return f"mindspore/1.9/{stem}"


@pytest.fixture(scope="module")
def fixes_git_config(tmp_path_factory):
    catalog = {f"mshub_res/assets/{uid(stem)}.md": stand_in_card(directory, "r1.9", BASE + directory, f"{stem}.ckpt")
               for stem, directory in CARDS.items()}
    return build_repos(tmp_path_factory.mktemp("fixes-repos"), {"r1.9": {"README.md": "zoo\n", **R19}, "r2.0": R20},
                       catalog)


@pytest.fixture
def fixes_env(fixes_git_config, monkeypatch, hub_env, tmp_path):
    return use_repos(fixes_git_config, monkeypatch, tmp_path)


def test_the_zoos_later_fix_of_the_same_file_runs_before_it(fixes_env, monkeypatch):
    net = mshub.load(uid("meternet_x"), pretrained=False)
    assert net.load_report.route == "export" and int(net.fc.weight.shape[0]) == 3
    assert net.load_report.notes[0] == (
        "src/net_utils.py uses 'OrderedDict' and never imports it at r1.9 (an error in the zoo's code); the zoo's own "
        "import, 'from collections import OrderedDict' from official/cv/MeterNet/src/net_utils.py at r2.0, ran before "
        "that file's code")
    assert net.load_report.build.supplied[0].startswith("the zoo's own import 'from collections import OrderedDict'")
    # kept beside the code: a later process finds it there, offline, without looking at the later releases
    from hub.routes.zoo import forget_zoo_code

    forget_zoo_code()
    monkeypatch.setenv("MSHUB_OFFLINE", "1")
    again = mshub.load(uid("meternet_x"), pretrained=False)
    assert again.load_report.notes[0] == net.load_report.notes[0]


def test_an_import_of_the_name_in_another_file_of_the_directory_is_the_fix(fixes_env):
    net = mshub.load(uid("twofiles_x"), pretrained=False)
    assert int(net.fc.weight.shape[0]) == 4
    assert "'from collections import OrderedDict' from src/other.py at r1.9" in net.load_report.notes[0]


def test_a_name_the_zoo_never_fixed_stays_its_error(fixes_env):
    never = r"src/net_utils.py uses 'OrderedDict' and never imports or defines it"
    with pytest.raises(HubError, match=never) as caught:
        mshub.load(uid("neverfixed_x"), pretrained=False)
    assert caught.value.kind == "zoo-error"
