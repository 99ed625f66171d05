"""Model zoo cards: the directory their repo-link names, fetched sparsely (``code``), builds the
network by its ``mindspore_hub_conf.py`` as MindSpore Hub does (``conf``), else by the network its
export script exports (``export``), else by the network its ``eval.py`` evaluates (``evaluation``).
When the hub conf fails and the caller gave no arguments, whatever the reason (a stale import, the zoo's
own error, no network of the card's name, arguments it needs), the network the directory's export script
(else its eval.py) gives, with the zoo's own config values, is the card's, and the notes say why the hub
conf did not build and which script did. A directory with no code of its own is tried by its
subdirectory named after the card's network.
What the code tried and was refused (``guard``) ends the notes, or the error when it does not build."""
from __future__ import annotations

from ...cards.record import ModelCard
from ...cards.repo_link import RepoRef
from ...errors import ZooBuildError
from . import eval_pipelines
from .builders import conf as zoo_conf
from .builders import evaluation as zoo_eval
from .builders import export as zoo_export
from .sandbox.guard import recorded, refusal_notes
from .source.code import SUBDIR_NOTE, CodeDir, fetch_code_dir, network_subdir, prefetch

__all__ = ["ZooBuildError", "build", "card_specific", "eval_pipelines", "fetch_code_dir", "prefetch", "zoo_conf",
           "zoo_eval", "zoo_export"]

# notes that make a build depend on the card, not only on its directory (``card_specific``)
_CARD_NOTES = (*zoo_conf.HUB_CONF_NAMES, zoo_export.OTHER_SCRIPT_NOTE, SUBDIR_NOTE)


def build(card: ModelCard, ref: RepoRef, args: tuple, kwargs: dict):
    """(network, route that built it: 'zoo', 'export' or 'eval', notes for the load report, class-count keys)."""
    with recorded() as refused:
        try:
            net, route, notes, keys = _build(card, ref, args, kwargs)
        except ZooBuildError as exc:
            if refused:
                exc.args = (f"{exc}; while it ran, the hub " + "; ".join(refusal_notes(refused)),)
            raise
    return net, route, notes + refusal_notes(refused), keys


def _build(card: ModelCard, ref: RepoRef, args: tuple, kwargs: dict):
    code = fetch_code_dir(ref, card.uid)
    code = network_subdir(code, [card.model_name or "", card.backbone or ""])
    where = f"{ref.clone_url} {ref.release}:{ref.directory}{'/' + code.subdir if code.subdir else ''} " \
            f"(commit {code.commit[:10]})"
    found = [f"{SUBDIR_NOTE} {code.subdir}/: {ref.directory or 'the repository root'} has no code of its own"] \
        if code.subdir else []
    try:
        net, route, notes, keys = _build_in(card, code, where, args, kwargs)
    except ZooBuildError as exc:
        exc.notes[:0] = found
        raise
    return net, route, found + notes, keys


def _script_route(card: ModelCard, code: CodeDir):
    """(the route module, the script's file name) that builds the directory without a hub conf, or None."""
    script = zoo_export.script_of(code, card)
    if script is not None:
        return zoo_export, script
    if zoo_eval.has_script(code):
        return zoo_eval, zoo_eval.SCRIPT
    return None


def _build_in(card: ModelCard, code: CodeDir, where: str, args: tuple, kwargs: dict):
    conf_file = zoo_conf.hub_conf_file(code)
    scripted = _script_route(card, code)
    if conf_file is not None:
        try:
            net, notes, keys = zoo_conf.build(card, code, where, args, kwargs)
            return net, zoo_conf.ROUTE, notes, keys
        except ZooBuildError as exc:
            if args or kwargs or scripted is None:  # arguments the caller gave were for the hub conf
                raise
            failed = exc
        route, script = scripted
        try:
            net, notes, keys = route.build(card, code, where, (), {})
        except ZooBuildError as exc:
            failed.args = (f"{failed}; the directory's {script} did not build either ({exc.kind}: {exc})",)
            raise failed from None
        why = (f"{conf_file} needs arguments the call did not give" if failed.kind == "arguments"
               else f"{conf_file} did not build ({failed.kind})")
        return net, route.ROUTE, [f"{why} ({failed}); built by {script} with the zoo's own config instead",
                                  *notes], keys
    if scripted is None:
        raise ZooBuildError(f"{card.uid}: {where} has no {zoo_conf.HUB_CONF}, no export script "
                            f"({zoo_export.SCRIPT} or another name holding 'export') and no {zoo_eval.SCRIPT}, so "
                            "there is no network to build (MindSpore Hub cannot load this card either)", "no-hub-conf")
    route, script = scripted
    try:
        net, notes, keys = route.build(card, code, where, args, kwargs)
    except ZooBuildError as exc:
        if route is zoo_export and script != zoo_export.SCRIPT:  # chosen by name: another card may choose another
            exc.notes.append(f"{zoo_export.OTHER_SCRIPT_NOTE} {script}")
        raise
    return net, route.ROUTE, notes, keys


def card_specific(notes: list[str]) -> bool:
    """Whether a build with these notes depends on the card (its hub conf, its model name choosing a script
    or a subdirectory), so another card of the same directory may build differently."""
    return any(note.startswith(_CARD_NOTES) for note in notes)
