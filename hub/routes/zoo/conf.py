"""Route: a model zoo card built as MindSpore Hub builds it, by the directory its repo-link names:
``create_network(model-name lowercased, *args, **kwargs)`` from that directory's ``mindspore_hub_conf.py``,
with the code fetched sparsely and run inside ``run`` (its own namespace, removed names supplied).
Where the zoo misspells the file ``mindpsore_hub_conf.py`` (FDA-BNN, HourNAS, ...; MindSpore Hub looks
for the right name only), that file serves, and the load report says so."""
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
MISSPELT_HUB_CONF = "mindpsore_hub_conf.py"  # the zoo's own misspelling, in some directories
HUB_CONF_NAMES = (HUB_CONF, MISSPELT_HUB_CONF)  # the correct name first


def hub_conf_file(code: CodeDir) -> str | None:
    """The file name of the directory's hub conf: the correct one, else the zoo's misspelt one."""
    return next((name for name in HUB_CONF_NAMES if (code.path / name).is_file()), None)


def has_hub_conf(code: CodeDir) -> bool:
    return hub_conf_file(code) is not None


def build(card: ModelCard, code: CodeDir, where: str, args: tuple, kwargs: dict):
    """(network, notes for the load report, keywords of the code that set a class count)."""
    directory = code.path
    conf_file = hub_conf_file(code) or HUB_CONF
    name = (card.model_name or card.backbone or card.stem).lower()
    try:
        with running_zoo_code(directory, release=code.ref.release) as run:
            conf = load_hub_conf(directory, conf_file)
            create = getattr(conf, "create_network", None)
            if create is None:
                raise ZooBuildError(f"{card.uid}: {where}/{conf_file} defines no create_network", "no-name")
            net = create(name, *args, **kwargs)
    except TypeError as exc:
        if re.search(r"missing \d+ required|required (positional|keyword)", str(exc)):
            raise _needs_arguments(card, name, where, str(exc)) from None
        raise failure(card, exc, f"create_network({name!r})", where, directory, code.checkout, ROUTE) from None
    except KeyError as exc:
        key = exc.args[0] if exc.args else None
        if isinstance(key, str) and key not in kwargs and _raised_in_hub_conf(exc):
            raise _needs_arguments(card, name, where, f"it reads the keyword {key!r}") from None
        raise ZooBuildError(f"{card.uid}: {where}/{conf_file} offers no network named {name!r} "
                            f"(KeyError: {exc})", "no-name") from None
    except NotImplementedError as exc:
        raise ZooBuildError(f"{card.uid}: {where}/{conf_file} offers no network named {name!r} "
                            f"(NotImplementedError: {exc})", "no-name") from None
    except (Exception, SystemExit) as exc:
        raise _failure(card, name, where, code, exc, conf_file) from None
    if net is None:
        raise ZooBuildError(f"{card.uid}: create_network({name!r}) of {where} returned None: the hub conf "
                            "offers no network of that name", "no-name")
    keys = class_count_keys((directory / conf_file).read_text(errors="replace"), create,
                            *[v for v in vars(conf).values() if callable(v)], type(net))
    notes = [f"removed name supplied: {n}" for n in run.compat]
    if conf_file != HUB_CONF:
        notes.insert(0, f"{conf_file} served as the hub conf: the zoo misspells {HUB_CONF} in {where} "
                        "(MindSpore Hub looks for the right name only and cannot load this card)")
    return net, notes, keys


def _needs_arguments(card: ModelCard, name: str, where: str, detail: str) -> ZooBuildError:
    return ZooBuildError(f"{card.uid}: create_network({name!r}) of {where} needs arguments: {detail}. "
                         + usage_hint(card), "arguments")


def _raised_in_hub_conf(exc: BaseException) -> bool:
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and frames[-1].filename.endswith(HUB_CONF_NAMES)


def _failure(card: ModelCard, name: str, where: str, code: CodeDir, exc: BaseException,
             conf_file: str = HUB_CONF) -> ZooBuildError:
    text = str(exc) or repr(exc)
    if isinstance(exc, ValueError) and re.search(r"(unsupported|not support|not implement|invalid|unknown).*"
                                                 r"(net|model|name)|(net|model|name).*(unsupported|not support)",
                                                 text, re.I):
        return ZooBuildError(f"{card.uid}: {where}/{conf_file} offers no network named {name!r} ({text})",
                             "no-name")
    return failure(card, exc, f"create_network({name!r})", where, code.path, code.checkout, ROUTE)
