"""Route: a model zoo card built as MindSpore Hub builds it, by the directory its repo-link names:
``create_network(model-name lowercased, *args, **kwargs)`` from that directory's ``mindspore_hub_conf.py``,
with the code fetched sparsely and run inside ``run`` (its own namespace, removed names supplied).
Where the zoo misspells the file ``mindpsore_hub_conf.py`` (FDA-BNN, HourNAS, ...; MindSpore Hub looks
for the right name only), that file serves, and the load report says so.

Unlike MindSpore Hub, the card gets its own variant: the config its hub conf parses (at import or in
``create_network``) takes the card's choices as a script's does (``variants``: ``imagenet2012_config.yaml``
for VGG-19's ImageNet card, where the default is CIFAR-10's with batch norm), and the directory's defaults
when that choice does not build; the load report says which.

A hub conf that offers no network of the card's name, but one the name differs from only by case (DEM's
``"DEM"`` against the lowercased ``dem``) or by a version suffix (GNMT's ``gnmt`` against r1.10's card
``gnmt_v2``), builds that one (``offered_names``), and the load report says so; otherwise the error lists the
names it offers."""
from __future__ import annotations

import ast
import re
import traceback
from pathlib import Path

from ....cards.record import ModelCard
from ....errors import Failure, ZooBuildError
from ....weights.heads import class_count_keys
from ...names import Route
from .. import state
from ..failures import failure, needs_arguments, usage_hint
from ..sandbox.namespace import is_kept, keep_as_default, load_hub_conf
from ..sandbox.run import running_zoo_code
from ..source.code import CodeDir
from ..variants.documented_commands import DOCUMENTED_ARGUMENTS, documented_arguments
from ..variants.selection import VARIANTS_ATTRIBUTE, Selection, selection_for
from .options import ZooBuilt, run_record

ROUTE = Route.ZOO
HUB_CONF = "mindspore_hub_conf.py"
MISSPELT_HUB_CONF = "mindpsore_hub_conf.py"  # the zoo's own misspelling, in some directories
HUB_CONF_NAMES = (HUB_CONF, MISSPELT_HUB_CONF)  # the correct name first
_NO_VARIANTS: set[Path] = set()  # directories whose hub conf offered no option that could choose a variant
_CHOSEN: dict[tuple[Path, str], Selection] = {}  # (directory, variant) -> what the card chose for that import


def _forget() -> int:
    count = len(_NO_VARIANTS) + len(_CHOSEN)
    _NO_VARIANTS.clear()
    _CHOSEN.clear()
    return count


state.keeps("hub conf variants", _forget)


def hub_conf_file(code: CodeDir) -> str | None:
    """The file name of the directory's hub conf: the correct one, else the zoo's misspelt one."""
    return next((name for name in HUB_CONF_NAMES if (code.path / name).is_file()), None)


OFFERED_NOTE = "the hub conf offers no network named"  # a card built by the name the hub conf offers instead
_NAME_TESTS = (ast.Eq, ast.NotEq, ast.In, ast.NotIn)  # how create_network tells names apart
_VERSION_SUFFIX = re.compile(r"[_\-]?v\d+(\.\d+)?")  # what a card's name may add to the name it is offered by


def build(card: ModelCard, code: CodeDir, where: str, args: tuple, kwargs: dict):
    """(network, notes for the load report, keywords of the code that set a class count)."""
    conf_file = hub_conf_file(code) or HUB_CONF
    name = (card.model_name or card.backbone or card.stem).lower()
    try:
        return _build_named(card, code, where, args, kwargs, conf_file, name)
    except ZooBuildError as exc:
        if exc.kind != Failure.NO_NAME:
            raise
        offered = offered_names((code.path / conf_file).read_text(errors="replace"))
        other = offered_instead(name, offered)
        if other is None:
            if offered:
                exc.args = (f"{exc}; it offers {', '.join(map(repr, offered))}",)
            raise
        traceback.clear_frames(exc.__traceback__)
    built = _build_named(card, code, where, args, kwargs, conf_file, other, fresh=True)
    built.notes.insert(0, f"{OFFERED_NOTE} {name!r} (the card's name): built {other!r}, the name it offers that "
                          f"differs only by {'case' if other.lower() == name else 'a version suffix'} "
                          "(MindSpore Hub asks for the card's name and cannot load this card)")
    return built


def offered_names(source: str) -> list[str]:
    """The names a hub conf's ``create_network`` compares its first parameter with (``name == "gnmt"``,
    ``name.lower() in ("a", "b")``), in the order written."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    create = next((node for node in tree.body if isinstance(node, ast.FunctionDef)
                   and node.name == "create_network" and node.args.args), None)
    if create is None:
        return []
    parameter = create.args.args[0].arg

    def is_parameter(node: ast.AST) -> bool:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and not node.args:
            node = node.func.value  # name.lower()
        return isinstance(node, ast.Name) and node.id == parameter

    def strings(node: ast.AST) -> list[tuple[int, int, str]]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [(node.lineno, node.col_offset, node.value)]
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return [found for element in node.elts for found in strings(element)]
        return []

    found = []
    for node in ast.walk(create):
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], _NAME_TESTS):
            left, right = node.left, node.comparators[0]
            found += strings(right) if is_parameter(left) else strings(left) if is_parameter(right) else []
    return list(dict.fromkeys(value for *_, value in sorted(found)))


def offered_instead(name: str, offered: list[str]) -> str | None:
    """The one offered name ``name`` (lowercased, as MindSpore Hub asks) differs from only by case, else only by
    a version suffix (``gnmt_v2`` for ``gnmt``); None when there is no such name or more than one."""
    same = [other for other in offered if other.lower() == name]
    if same:
        return same[0] if len(same) == 1 else None
    versioned = [other for other in offered
                 if other and name.startswith(other.lower()) and _VERSION_SUFFIX.fullmatch(name[len(other):])]
    return versioned[0] if len(versioned) == 1 else None


def _build_named(card: ModelCard, code: CodeDir, where: str, args: tuple, kwargs: dict, conf_file: str,
                 name: str, fresh: bool = False):
    """The card's build by ``name``; ``fresh``: in an import of the hub conf of its own (a call for another name
    may have changed the kept one's config: GNMT's ``create_network`` turns its dataset options into lists)."""
    directory = code.path
    documented = documented_arguments(card)  # keywords its eval script gives the class for this card
    given = {k: v for k, v in (documented.arguments if documented else {}).items() if k not in kwargs}
    kwargs = {**given, **kwargs}  # the caller's own win
    selection = selection_for(card, directory, kwargs)  # the card's own variant (``variants``), as scripts get it
    try:
        net, run, conf, create, selection = _create(card, code, where, conf_file, name, args, kwargs, selection,
                                                      fresh)
    except (Exception, SystemExit) as exc:
        if not selection.defaults_worth_trying():
            raise _classified(card, name, where, code, conf_file, kwargs, exc) from None
        selection.abandon(exc)
        traceback.clear_frames(exc.__traceback__)  # what the failed build made is freed before the next
        del exc
        try:
            net, run, conf, create, _ = _create(card, code, where, conf_file, name, args, kwargs, None, fresh)
        except (Exception, SystemExit) as exc:
            error = selection.error_to_report(exc)
            raise _classified(card, name, where, code, conf_file, kwargs, error) from None
    if net is None:
        raise ZooBuildError(f"{card.uid}: create_network({name!r}) of {where} returned None: the hub conf "
                            "offers no network of that name", Failure.NO_NAME)
    keys = class_count_keys((directory / conf_file).read_text(errors="replace"), create,
                            *[v for v in vars(conf).values() if callable(v)], type(net))
    notes = run.context.notes() + [f"removed name supplied: {n}" for n in run.compat] + selection.notes()
    if given:
        notes.append(f"{DOCUMENTED_ARGUMENTS} ({documented.read_from}; kept by the hub: the hub conf's default "
                     "builds another network): " + ", ".join(f"{k}={v!r}" for k, v in given.items()))
    if conf_file != HUB_CONF:
        notes.insert(0, f"{conf_file} served as the hub conf: the zoo misspells {HUB_CONF} in {where} "
                        "(MindSpore Hub looks for the right name only and cannot load this card)")
    object.__setattr__(net, VARIANTS_ATTRIBUTE, selection.alternatives())
    record = run_record(f"{code.ref.directory}/{conf_file}", kwargs, run, selection, card_specific=True)
    return ZooBuilt(net, notes, keys, record)


def _create(card: ModelCard, code: CodeDir, where: str, conf_file: str, name: str, args: tuple, kwargs: dict,
            selection: Selection | None, fresh: bool = False):
    """Import the hub conf, its config parsed with the card's choices (``selection``; the defaults when None),
    and call its ``create_network``: (network, run, hub conf module, create_network, the selection made).

    A directory's import is kept per variant. The defaults' serves every card of a directory whose import
    offered no option that could choose a variant (``_NO_VARIANTS``); otherwise each choice has its own, and
    a kept import says what was chosen when it was made (``_CHOSEN``)."""
    directory = code.path.resolve()
    variant = "" if selection is None or directory in _NO_VARIANTS else selection.key()
    reused = is_kept(directory, variant) and not fresh
    with running_zoo_code(directory, fresh=fresh, release=code.ref.release, chooser=selection and selection.choose,
                          variant=variant) as run:
        conf = load_hub_conf(directory, conf_file, variant, fresh)
        create = getattr(conf, "create_network", None)
        if create is None:
            raise ZooBuildError(f"{card.uid}: {where}/{conf_file} defines no create_network", Failure.NO_NAME)
        net = create(name, *args, **kwargs)
    if variant and not fresh:
        if reused and not selection.depends_on_card():  # its config was parsed when the import was made
            selection = _CHOSEN.get((directory, variant), selection)
        _CHOSEN[(directory, variant)] = selection
        if not reused and not selection.depends_on_card():  # nothing to choose: every card gets this import
            _NO_VARIANTS.add(directory)
            keep_as_default(directory, variant)
    return net, run, conf, create, selection


def _classified(card: ModelCard, name: str, where: str, code: CodeDir, conf_file: str, kwargs: dict,
                exc: BaseException) -> ZooBuildError:
    """The error of a hub conf that did not build, by its class (arguments, no network of the name, ...)."""
    if isinstance(exc, ZooBuildError):
        return exc
    if isinstance(exc, TypeError):
        if re.search(r"missing \d+ required|required (positional|keyword)", str(exc)):
            return _needs_arguments(card, name, where, str(exc),
                                    re.findall(r"'(\w+)'", str(exc).partition("argument")[2]))
        return failure(card, exc, f"create_network({name!r})", where, code.path, code.checkout, ROUTE)
    if isinstance(exc, KeyError):
        key = exc.args[0] if exc.args else None
        if isinstance(key, str) and key not in kwargs and _raised_in_hub_conf(exc):
            return _needs_arguments(card, name, where, f"it reads the keyword {key!r}", [key])
        return ZooBuildError(f"{card.uid}: {where}/{conf_file} offers no network named {name!r} "
                             f"(KeyError: {exc})", Failure.NO_NAME)
    if isinstance(exc, NotImplementedError):
        return ZooBuildError(f"{card.uid}: {where}/{conf_file} offers no network named {name!r} "
                             f"(NotImplementedError: {exc})", Failure.NO_NAME)
    return _failure(card, name, where, code, exc, conf_file)


def _needs_arguments(card: ModelCard, name: str, where: str, detail: str, missing: list[str]) -> ZooBuildError:
    error = ZooBuildError(f"{card.uid}: create_network({name!r}) of {where} needs arguments: {detail}. "
                          + usage_hint(card), Failure.ARGUMENTS)
    return needs_arguments(error, missing)


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
                             Failure.NO_NAME)
    return failure(card, exc, f"create_network({name!r})", where, code.path, code.checkout, ROUTE)
