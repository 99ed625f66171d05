"""Route: the network class a zoo directory names after the card, for a directory with no hub conf and no
export or eval script of its own. TPRR's two eval scripts (``retriever_eval.py``, ``reranker_and_reader_eval.py``)
read HotpotQA before composing four networks, and the hub publishes each of the four as its own card with its
own checkpoint (``tprr_rerankalbert``, ``tprr_rerankdownstream``, ...): the zoo loads each checkpoint into an
instance of one class (``load_param_into_net(self.encoder, ...)`` on ``Albert(batch_size)``), so that class,
made as the zoo makes it, is the card's network.

The class is found by its name only, never guessed: the words of the card's uid after its model name (its
dataset dropped) spell a ``Cell`` subclass defined in the directory (case, ``_`` and ``-`` ignored), else end
with the name of exactly one such class (``rerankalbert`` ends with ``Albert``). Its required parameters come
from the caller; a ``batch_size`` the caller does not give is 1, as export scripts make it (the network then
takes one sample per call), and the load report says so. Any other required parameter is an ``arguments``
error naming it."""
from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

from ....cards.record import ModelCard
from ....errors import Failure, ZooBuildError
from ...names import Route
from ..failures import failure, needs_arguments
from ..sandbox.run import running_zoo_code
from ..source.code import CodeDir, squashed
from ..variants.selection import stem_without_dataset
from .options import ZooBuilt, check_positional, run_notes, run_record

ROUTE = Route.CLASS
ONE_SAMPLE = {"batch_size": 1}  # sizes a class may require that an export script sets to one sample
_NOT_NETWORK_CODE = {"scripts", "infer", "ascend310_infer", "ascend_310_infer", "modelarts", "test", "tests"}


def card_words(card: ModelCard) -> str:
    """The card's words for one network of its directory: its uid's stem after its model name, without its
    dataset (``rerankalbert`` of ``tprr_rerankalbert_hotpotqa``); "" when the stem is the model name alone."""
    stem = squashed(stem_without_dataset(card))
    model = squashed(card.model_name or "")
    return stem[len(model):] if model and stem.startswith(model) else ""


def network_classes(directory: Path) -> dict[str, list[tuple[str, str]]]:
    """squashed class name -> (module, class name) of each ``Cell`` subclass the directory's code defines
    (its scripts, inference and test folders aside)."""
    found: dict[str, list[tuple[str, str]]] = {}
    for path in sorted(directory.rglob("*.py")):
        relative = path.relative_to(directory)
        if _NOT_NETWORK_CODE & set(relative.parts[:-1]) or len(relative.parts) == 1:
            continue  # top-level files are scripts: importing one runs it
        try:
            tree = ast.parse(path.read_text(errors="replace"))
        except (SyntaxError, ValueError):
            continue
        module = ".".join(relative.with_suffix("").parts)
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and any(_base_name(b) == "Cell" for b in node.bases):
                found.setdefault(squashed(node.name), []).append((module, node.name))
    return found


def _base_name(node: ast.expr) -> str:
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""


def named_class(card: ModelCard, code: CodeDir) -> tuple[str, str] | None:
    """(module, class) of the network class the card's words name in its directory; None when they name none,
    or name more than one."""
    words = card_words(card)
    if len(words) < 4:
        return None
    classes = network_classes(code.path)
    exact = classes.get(words, [])
    if len(exact) == 1:
        return exact[0]
    ending = [c for name, found in classes.items() if len(name) >= 4 and words.endswith(name) for c in found]
    return ending[0] if not exact and len(ending) == 1 else None


def build(card: ModelCard, code: CodeDir, where: str, args: tuple, kwargs: dict, found: tuple[str, str]) -> ZooBuilt:
    """The class ``found`` (``named_class``) made with the caller's keywords, one sample for a batch size."""
    module_name, class_name = found
    check_positional(card, where, class_name, args, ROUTE)
    what = f"{class_name} of {module_name.replace('.', '/')}.py"
    with running_zoo_code(code.path, release=code.ref.release) as run:
        try:
            cls = getattr(importlib.import_module(module_name), class_name)
            required = [name for name, p in inspect.signature(cls.__init__).parameters.items()
                        if p.default is p.empty and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)][1:]
            filled = {k: v for k, v in ONE_SAMPLE.items() if k in required and k not in kwargs}
            missing = [name for name in required if name not in kwargs and name not in filled]
            if missing:
                raise needs_arguments(ZooBuildError(
                    f"{card.uid}: {what} in {where} needs {', '.join(missing)}: pass "
                    f"{', '.join(f'{m}=...' for m in missing)} to load", Failure.ARGUMENTS, ROUTE), missing)
            net = cls(**filled, **kwargs)
        except ZooBuildError:
            raise
        except (Exception, SystemExit) as exc:
            raise failure(card, exc, what, where, code.path, code.checkout, ROUTE) from None
    notes = [f"{where} has no hub conf, export script or eval.py that builds one network; the card's words "
             f"({card_words(card)!r}) name {what}, built as the zoo builds it"]
    notes += [f"{k}={v!r}: {class_name} requires it; one sample per call, as export scripts make it"
              for k, v in filled.items()]
    record = run_record(f"{code.ref.directory}/{module_name.replace('.', '/')}.py:{class_name}", kwargs, run,
                        card_specific=True)
    return ZooBuilt(net, notes + run_notes(kwargs, run), [], record)
