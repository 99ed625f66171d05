"""Build hook: the repository keeps ``hubconf.py`` and ``models/`` at its root (torch.hub layout), but an
installed copy owns only the top-level names ``hub`` and ``mindspore_hub``: ``models/`` is installed as
``hub.models`` (``package_dir`` in setup.cfg) and ``hubconf.py`` as ``hub/hubconf.py`` (below)."""
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPyWithHubconf(build_py):
    """build_py, plus the root ``hubconf.py`` copied into the ``hub`` package."""

    def run(self) -> None:
        super().run()
        target = Path(self.build_lib, "hub", "hubconf.py")
        target.parent.mkdir(parents=True, exist_ok=True)
        self.copy_file("hubconf.py", str(target))


setup(cmdclass={"build_py": BuildPyWithHubconf})
