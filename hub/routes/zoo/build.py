"""The zoo route's build. Model zoo cards: the directory their repo-link names, fetched sparsely (``code``), builds the
network by its ``mindspore_hub_conf.py`` as MindSpore Hub does (``conf``), else by the network its
export script exports (``export``), else by the network its ``eval.py`` evaluates (``evaluation``); an export
script that fails hands over to the eval.py beside it.
When the hub conf fails and the caller gave no arguments, whatever the reason (a stale import, the zoo's
own error, no network of the card's name, arguments it needs), the network the directory's export script
(else its eval.py) gives, with the zoo's own config values, is the card's, and the notes say why the hub
conf did not build and which script did. A directory with no code of its own is tried by its
subdirectory named after the card's network.
A file that uses a name it never imports is given the zoo's own import for it, where the zoo wrote one
(``source.fixes``), and the build runs again. What the code tried and was refused (``guard``) ends the notes, or
the error when it does not build."""
from __future__ import annotations

import dataclasses
import gc

from ...cards.record import ModelCard
from ...cards.repo_link import RepoRef
from ...errors import Failure, ZooBuildError
from .builders import conf as zoo_conf
from .builders import evaluation as zoo_eval
from .builders import export as zoo_export
from .builders import named_class as zoo_class
from .builders.options import ZooBuilt
from .sandbox.guard import recorded, refusal_notes
from .sandbox.namespace import imports_before
from .source import fixes
from .source.code import LEFT_OUT_NOTE, SUBDIR_NOTE, CodeDir, fetch_code_dir, network_subdir
from .state import release_freed_memory


def build(card: ModelCard, ref: RepoRef, args: tuple, kwargs: dict) -> ZooBuilt:
    """The card's network, by the first of its directory's hub conf, export script and eval script that builds
    it, with the notes for people, the code's class-count keywords, the typed record and the route."""
    with recorded() as refused:
        try:
            built = _build(card, ref, args, kwargs)
        except ZooBuildError as exc:
            if refused:
                exc.args = (f"{exc}; while it ran, the hub " + "; ".join(refusal_notes(refused)),)
            raise
    built.notes += refusal_notes(refused)
    built.record.refused = [str(r) for r in dict.fromkeys(refused)]
    return built


def _build(card: ModelCard, ref: RepoRef, args: tuple, kwargs: dict) -> ZooBuilt:
    code = fetch_code_dir(ref, card.uid)
    code = network_subdir(code, [card.model_name or "", card.backbone or ""])
    where = f"{ref.clone_url} {ref.release}:{ref.directory}{'/' + code.subdir if code.subdir else ''} " \
            f"(commit {code.commit[:10]})"
    found = [f"{SUBDIR_NOTE} {code.subdir}/: {ref.directory or 'the repository root'} has no code of its own"] \
        if code.subdir else []
    if code.left_out:
        them = "it" if len(code.left_out) == 1 else "them"
        found.append(f"{LEFT_OUT_NOTE} {', '.join(code.left_out)} ({ref.clone_url} would not send {them}; the code "
                     f"was checked out without {them})")
    try:
        try:
            built = _build_in(card, code, where, args, kwargs)
        except ZooBuildError as exc:
            fix = fixes.import_fix(code, *exc.unbound) if exc.unbound else None
            if fix is None:
                raise
            built = _build_with_fix(card, code, where, args, kwargs, fix, _released(exc))
    except ZooBuildError as exc:
        exc.notes[:0] = found
        exc.card_specific |= bool(code.subdir)
        raise
    built.notes[:0] = found
    built.record.card_specific |= bool(code.subdir)
    return built


def _build_with_fix(card: ModelCard, code: CodeDir, where: str, args: tuple, kwargs: dict, fix: fixes.ImportFix,
                    failed: ZooBuildError) -> ZooBuilt:
    """The build again, with the zoo's own import for a file that never binds a name it uses (``source.fixes``);
    the report's first note says where the import came from. When it still fails, its error, after that note."""
    note = fix.note(code.ref.release)
    with imports_before(code.path, fix.file, fix.line, fix.source):
        try:
            built = _build_in(card, code, where, args, kwargs)
        except ZooBuildError as exc:
            exc.notes.insert(0, f"{note}; without it: {failed}")
            raise
    built.notes.insert(0, note)
    built.record.supplied.insert(0, f"the zoo's own import {fix.line!r} for {fix.file} ({fix.source})")
    return built


def _script_routes(card: ModelCard, code: CodeDir) -> list:
    """(the route module, the script's file name) for each script that can build the directory without a hub
    conf, in the order they are tried: its export script, then its eval.py, then an export script one folder
    down (``src/export.py``) when it has none of its own."""
    routes = []
    script = zoo_export.script_of(code, card)
    if script is not None:
        routes.append((zoo_export, script))
    if zoo_eval.has_script(code):
        routes.append((zoo_eval, zoo_eval.SCRIPT))
    nested = zoo_export.nested_script(code) if script is None else None
    if nested is not None:
        routes.append((zoo_export, nested))
    return routes


def _build_in(card: ModelCard, code: CodeDir, where: str, args: tuple, kwargs: dict) -> ZooBuilt:
    conf_file = zoo_conf.hub_conf_file(code)
    scripted = _script_routes(card, code)
    if conf_file is not None:
        try:
            return dataclasses.replace(zoo_conf.build(card, code, where, args, kwargs), route=zoo_conf.ROUTE)
        except ZooBuildError as exc:
            exc.card_specific = True  # the hub conf builds by the card's name
            if args or kwargs or not scripted:  # arguments the caller gave were for the hub conf
                raise
            failed = _released(exc)
        try:
            built, script = _build_by_scripts(card, code, where, scripted, (), {})
        except ZooBuildError as exc:
            failed.args = (f"{failed}; the directory's {scripted[0][1]} did not build either ({exc.kind}: {exc})",)
            raise failed from None
        why = (f"{conf_file} needs arguments the call did not give" if failed.kind == Failure.ARGUMENTS
               else f"{conf_file} did not build ({failed.kind})")
        built.notes.insert(0, f"{why} ({failed}); built by {script} with the zoo's own config instead")
        built.record.card_specific = True  # the hub conf, named by the card, failed: another card's may not
        return built
    named = zoo_class.named_class(card, code) if not scripted else None
    if named is not None:
        return dataclasses.replace(zoo_class.build(card, code, where, args, kwargs, named), route=zoo_class.ROUTE)
    if not scripted:
        raise ZooBuildError(f"{card.uid}: {where} has no {zoo_conf.HUB_CONF}, no export script "
                            f"({zoo_export.SCRIPT} or another name holding 'export'), no {zoo_eval.SCRIPT} and "
                            f"no network class the card's words ({zoo_class.card_words(card)!r}) name, so there is "
                            "no network to build (MindSpore Hub cannot load this card either)",
                            Failure.NO_HUB_CONF)
    return _build_by_scripts(card, code, where, scripted, args, kwargs)[0]


def _build_by_scripts(card: ModelCard, code: CodeDir, where: str, scripted: list, args: tuple,
                      kwargs: dict) -> tuple[ZooBuilt, str]:
    """The network of the first script that builds it, and that script's name. A directory whose export script
    fails (the zoo's own error, data it reads, an option it leaves unset) is tried by its eval.py, which often
    builds the same network without that step; the notes say why the export script did not build. When none
    builds, the error is the first script's, with why each other one did not build."""
    failed: list[tuple[str, ZooBuildError]] = []
    for route, script in scripted:
        try:
            chosen = {"script": script} if route is zoo_export else {}
            built = route.build(card, code, where, args, kwargs, **chosen)
        except ZooBuildError as exc:
            if route is zoo_export and script != zoo_export.SCRIPT:  # chosen by name: another card may choose another
                exc.notes.append(f"{zoo_export.OTHER_SCRIPT_NOTE} {script}")
                exc.card_specific = True
            failed.append((script, _released(exc)))
            continue
        for earlier, exc in failed:
            built.notes.insert(0, f"{earlier} did not build ({exc.kind}: {exc}); built by {script} instead")
            built.record.card_specific |= exc.card_specific
        return dataclasses.replace(built, route=route.ROUTE), script
    (first_script, first), *others = failed
    if others:
        first.args = (f"{first}; " + "; ".join(f"the directory's {script} did not build either ({exc.kind}: {exc})"
                                             for script, exc in others),)
    raise first


def _released(exc: ZooBuildError) -> ZooBuildError:
    """``exc``, kept for its message while the next script runs, without the frames of the run that failed (its
    traceback and the zoo's error it was raised from hold that run's networks: GNMT's export and eval scripts
    each build a 2 GB network, which would otherwise live on side by side)."""
    exc.__traceback__ = exc.__context__ = exc.__cause__ = None
    gc.collect()
    release_freed_memory()
    return exc
