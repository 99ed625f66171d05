"""What this project keeps beside its code: the tables read from the model zoo's code and scripts, the hub's
dataset names, label lists and the example photo."""
from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def kept_table(name: str):
    """The JSON file ``name`` of this folder, parsed once (callers copy what they change)."""
    return json.loads(resources.files(__name__).joinpath(name).read_text(encoding="utf-8"))
