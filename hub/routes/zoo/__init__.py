"""Model zoo cards: the directory their repo-link names, fetched sparsely (``code``), builds the
network by its ``mindspore_hub_conf.py`` as MindSpore Hub does (``conf``), else by the network its
``export.py`` exports (``export``). When the hub conf needs arguments the caller did not give, the
network export.py exports (with the zoo's own config values) is the card's, and the notes say so.
What the code tried and was refused (``guard``) ends the notes, or the error when it does not build."""
from __future__ import annotations

from ...cards.record import ModelCard
from ...cards.repo_link import RepoRef
from ...errors import ZooBuildError
from . import conf as zoo_conf
from . import evaluation as zoo_eval
from . import export as zoo_export
from .code import fetch_code_dir, prefetch
from .guard import recorded, refusal_notes

__all__ = ["ZooBuildError", "build", "fetch_code_dir", "prefetch", "zoo_conf", "zoo_eval", "zoo_export"]


def build(card: ModelCard, ref: RepoRef, args: tuple, kwargs: dict):
    """(network, route that built it: 'zoo' or 'export', notes for the load report, class-count keys)."""
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
    where = f"{ref.clone_url} {ref.release}:{ref.directory} (commit {code.commit[:10]})"
    if zoo_conf.has_hub_conf(code):
        try:
            net, notes, keys = zoo_conf.build(card, code, where, args, kwargs)
            return net, zoo_conf.ROUTE, notes, keys
        except ZooBuildError as exc:
            if exc.kind != "arguments" or args or kwargs or not zoo_export.has_script(code):
                raise
            needs = exc
        try:
            net, notes, keys = zoo_export.build(card, code, where, (), {})
        except ZooBuildError:
            raise needs from None
        return net, zoo_export.ROUTE, [f"{zoo_conf.HUB_CONF} needs arguments the call did not give ({needs}); "
                                       f"built by {zoo_export.SCRIPT} with the zoo's own config instead", *notes], keys
    if zoo_export.has_script(code):
        net, notes, keys = zoo_export.build(card, code, where, args, kwargs)
        return net, zoo_export.ROUTE, notes, keys
    if zoo_eval.has_script(code):
        net, notes, keys = zoo_eval.build(card, code, where, args, kwargs)
        return net, zoo_eval.ROUTE, notes, keys
    raise ZooBuildError(f"{card.uid}: {where} has no {zoo_conf.HUB_CONF}, no {zoo_export.SCRIPT} and no "
                        f"{zoo_eval.SCRIPT}, so there is no network to build (MindSpore Hub cannot load this card "
                        "either)", "no-hub-conf")
