"""The catalog site (``python -m hub site``): a static site of every card with its verdict, checksum audit
and load outcome (``build`` gathers them, ``render`` writes the pages). Needs the ``[site]`` extra
(Jinja2, markdown-it-py), imported only when a site is built."""
from __future__ import annotations

__all__ = ["build_site"]


def build_site(*args, **kwargs):
    """See ``hub.site.site.build_site``."""
    from .site import build_site as build

    return build(*args, **kwargs)
