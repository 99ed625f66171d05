"""Route: a model zoo card built as MindSpore Hub builds it, by the directory its repo-link names:
``create_network(model-name lowercased, *args, **kwargs)`` from that directory's ``mindspore_hub_conf.py``,
with the code fetched sparsely and run inside ``run`` (its own namespace, removed names supplied)."""
from __future__ import annotations

import re
import traceback

from ...cards.record import ModelCard
from ...errors import ZooBuildError
from ...weights.heads import class_count_keys
from ..names import Route
from .code import CodeDir
from .failures import failure, usage_hint
from .namespace import load_hub_conf
from .run import running_zoo_code

ROUTE = Route.ZOO
HUB_CONF = "mindspore_hub_conf.py"


def has_hub_conf(code: CodeDir) -> bool:
    return (code.path / HUB_CONF).is_file()


def build(card: ModelCard, code: CodeDir, where: str, args: tuple, kwargs: dict):
    """(network, notes for the load report, keywords of the code that set a class count)."""
    directory = code.path
    name = (card.model_name or card.backbone or card.stem).lower()
    try:
        with running_zoo_code(directory) as run:
            conf = load_hub_conf(directory)
            create = getattr(conf, "create_network", None)
            if create is None:
                raise ZooBuildError(f"{card.uid}: {where}/{HUB_CONF} defines no create_network", "no-name")
            net = create(name, *args, **kwargs)
    except TypeError as exc:
        if re.search(r"missing \d+ required|required (positional|keyword)", str(exc)):
            raise _needs_arguments(card, name, where, str(exc)) from None
        raise failure(card, exc, f"create_network({name!r})", where, directory, code.checkout, ROUTE) from None
    except KeyError as exc:
        key = exc.args[0] if exc.args else None
        if isinstance(key, str) and key not in kwargs and _raised_in_hub_conf(exc):
            raise _needs_arguments(card, name, where, f"it reads the keyword {key!r}") from None
        raise ZooBuildError(f"{card.uid}: {where}/{HUB_CONF} offers no network named {name!r} "
                            f"(KeyError: {exc})", "no-name") from None
    except NotImplementedError as exc:
        raise ZooBuildError(f"{card.uid}: {where}/{HUB_CONF} offers no network named {name!r} "
                            f"(NotImplementedError: {exc})", "no-name") from None
    except (Exception, SystemExit) as exc:
        raise _failure(card, name, where, code, exc) from None
    if net is None:
        raise ZooBuildError(f"{card.uid}: create_network({name!r}) of {where} returned None: the hub conf "
                            "offers no network of that name", "no-name")
    keys = class_count_keys((directory / HUB_CONF).read_text(errors="replace"), create,
                            *[v for v in vars(conf).values() if callable(v)], type(net))
    return net, [f"removed name supplied: {n}" for n in run.compat], keys


def _needs_arguments(card: ModelCard, name: str, where: str, detail: str) -> ZooBuildError:
    return ZooBuildError(f"{card.uid}: create_network({name!r}) of {where} needs arguments: {detail}. "
                         + usage_hint(card), "arguments")


def _raised_in_hub_conf(exc: BaseException) -> bool:
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and frames[-1].filename.endswith(HUB_CONF)


def _failure(card: ModelCard, name: str, where: str, code: CodeDir, exc: BaseException) -> ZooBuildError:
    text = str(exc) or repr(exc)
    if isinstance(exc, ValueError) and re.search(r"(unsupported|not support|not implement|invalid|unknown).*"
                                                 r"(net|model|name)|(net|model|name).*(unsupported|not support)",
                                                 text, re.I):
        return ZooBuildError(f"{card.uid}: {where}/{HUB_CONF} offers no network named {name!r} ({text})", "no-name")
    return failure(card, exc, f"create_network({name!r})", where, code.path, code.checkout, ROUTE)
