"""Strict checkpoint loading: every network parameter found with the right shape, or a clear error.

Extra entries (optimizer state such as ``moments.*``, ``global_step``, ``learning_rate``) are ignored;
keys are matched with or without the ``network.`` prefix that training wrappers add.
"""
from __future__ import annotations

import threading
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Iterator

import mindspore as ms

from ..errors import CheckpointError

PREFIX = "network."
_MEMORY_CHECK_LOCK = threading.RLock()
MAX_LISTED = 20


@dataclass
class LoadReport:
    """What a load did: parameters loaded, left fresh (on purpose, or missing from the file), file
    entries ignored (training state) and file entries no parameter took (``unused``)."""

    loaded: list[str] = field(default_factory=list)
    fresh: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)  # fresh parameter -> why it stayed fresh
    prefix_mapped: int = 0  # parameters found under the other spelling (with or without ``network.``)
    source: str = ""  # the checkpoint file loaded
    route: str = ""  # the route that built the network (see hub.routes)
    notes: list[str] = field(default_factory=list)  # what the build did that a user should know, for people
    pretrained: bool = False  # whether a checkpoint was loaded at all
    build: object = None  # what the build did, as fields (``hub.routes.record.BuildRecord``)
    head_rebuilt: dict = field(default_factory=dict)  # keyword -> class count the network was built again with
    variants_tried: list[str] = field(default_factory=list)  # the directory's variants built to fit the checkpoint

    def to_dict(self) -> dict:
        """Every field, JSON-ready; ``from_dict`` reads it back."""
        data = {k: v for k, v in vars(self).items() if k != "build"}
        data["route"] = str(self.route)
        data["build"] = self.build.to_dict() if self.build is not None else None
        return data

    @classmethod
    def from_dict(cls, data: dict) -> LoadReport:
        from ..routes.record import BuildRecord

        names = {f.name for f in fields(cls)}
        report = cls(**{k: v for k, v in data.items() if k in names and k != "build"})
        report.build = BuildRecord.from_dict(data["build"]) if data.get("build") is not None else None
        return report

    def summary(self) -> str:
        """One line: what loaded, what stayed fresh, what of the file went unused, how it was built."""
        if self.pretrained:
            total = len(self.loaded) + len(self.fresh)  # fresh: every parameter the file did not give
            parts = [f"loaded {len(self.loaded)} of {total} parameters"
                     + (f" from {self.source}" if self.source else "")]
            if self.fresh:
                why = sorted(set(self.reasons.get(n, "") for n in self.fresh) - {""})
                parts.append(f"{len(self.fresh)} left freshly initialised ({listing(self.fresh[:3])}"
                             + (f"; {'; '.join(why[:2])}" if why else "") + ")")
            if self.unused:
                parts.append(f"{len(self.unused)} checkpoint entries unused")
            if self.prefix_mapped:
                parts.append(f"{self.prefix_mapped} matched through the '{PREFIX}' prefix")
        else:
            parts = ["not pretrained (fresh weights)"]
        if self.route:
            parts.append(f"built by the {self.route} route")
        if self.notes:
            parts.append("; ".join(self.notes))
        return ", ".join(parts)


# What training runs save beside the parameters: never a network's parameter.
TRAINING_STATE = ("moments.", "accum.", "moment1.", "moment2.", "global_step", "learning_rate", "beta1_power",
                  "beta2_power", "scale_sense", "current_iterator_step", "last_overflow_iterator_step",
                  "epoch_num", "step_num", "loss_scale")


def read_checkpoint(path: str | Path) -> dict:
    """The parameter dict of a checkpoint file, with the file named in any error."""
    try:
        with _page_cache_counts_as_available():
            return ms.load_checkpoint(str(path))
    except Exception as exc:  # MindSpore raises ValueError/RuntimeError with varied texts
        raise CheckpointError(f"cannot read checkpoint {path}: {exc}") from None


def memory_available() -> int | None:
    """The kernel's estimate of the memory a process can have (MemAvailable), in bytes; None off Linux."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


@contextmanager
def _page_cache_counts_as_available() -> Iterator[None]:
    """MindSpore 2.10 refuses a .ckpt larger than *free* memory (glibc's SC_AVPHYS_PAGES is MemFree),
    which leaves out the page cache the kernel hands back on demand: on a machine whose cache is warm,
    a 267 MB checkpoint was refused with 20 GB to spare. While it reads, its check uses MemAvailable."""
    from mindspore.train import serialization

    original = getattr(serialization, "_get_available_memory", None)
    if original is None or memory_available() is None:
        yield
        return
    with _MEMORY_CHECK_LOCK:
        serialization._get_available_memory = lambda: memory_available() or original()
        try:
            yield
        finally:
            serialization._get_available_memory = original


def _candidates(name: str) -> tuple[str, ...]:
    if name.startswith(PREFIX):
        return name, name[len(PREFIX):]
    return name, PREFIX + name


def lookup_key(name: str, params: dict) -> str | None:
    """The checkpoint key of network parameter ``name``: itself, or with/without the ``network.`` prefix."""
    return next((k for k in _candidates(name) if k in params), None)


def unused_entries(network: ms.nn.Cell, params: dict) -> list[str]:
    """Checkpoint entries no network parameter takes (by name, either spelling), training state aside."""
    used = {lookup_key(p.name, params) for p in network.get_parameters()}
    return sorted(k for k in params if k not in used and not k.startswith(TRAINING_STATE))


def fitting_key(param: ms.Parameter, params: dict) -> str | None:
    """The checkpoint key of ``param`` when the checkpoint has it (either spelling) with its shape."""
    key = lookup_key(param.name, params)
    return key if key is not None and tuple(params[key].shape) == tuple(param.shape) else None


def fits_any(network: ms.nn.Cell, params: dict) -> bool:
    """At least one network parameter is in the checkpoint with its shape."""
    return any(fitting_key(p, params) is not None for p in network.get_parameters())


def fits_whole(network: ms.nn.Cell, params: dict) -> bool:
    """Every network parameter is in the checkpoint with its shape, and every entry of it (training
    state aside) is a parameter of the network: the network the checkpoint was saved from."""
    return (all(fitting_key(p, params) is not None for p in network.get_parameters())
            and not unused_entries(network, params))


def listing(names: list[str]) -> str:
    """Names for a message: the first ``MAX_LISTED``, then how many more."""
    shown = ", ".join(names[:MAX_LISTED])
    return shown + (f" ... and {len(names) - MAX_LISTED} more" if len(names) > MAX_LISTED else "")


def load_strict(network: ms.nn.Cell, params: dict, source: str,
                may_stay_fresh: tuple[str, ...] = ()) -> LoadReport:
    """Load ``params`` into ``network``; parameters under ``may_stay_fresh`` prefixes may be missing or
    of another shape (a class predictor resized for fine-tuning) and are then left as initialised."""
    report = LoadReport()
    used: set[str] = set()
    to_load: dict[str, ms.Parameter] = {}
    missing, mismatched = [], []
    for param in network.get_parameters():
        key = lookup_key(param.name, params)
        optional = param.name.startswith(may_stay_fresh) if may_stay_fresh else False
        if key is None:
            (report.fresh if optional else missing).append(param.name)
            report.reasons[param.name] = "resized on request" if optional else "not in the checkpoint"
            continue
        value = params[key]
        used.add(key)
        report.prefix_mapped += key != param.name
        if tuple(value.shape) != tuple(param.shape):
            if optional:
                report.fresh.append(param.name)
                report.reasons[param.name] = "resized on request"
            else:
                mismatched.append(f"{param.name} (network {tuple(param.shape)}, file {tuple(value.shape)})")
            continue
        to_load[param.name] = value  # keyed by the network's name; wrapping each in a new Parameter costs 10x
    if missing or mismatched:
        parts = []
        if missing:
            parts.append(f"{len(missing)} parameters missing: {listing(missing)}")
        if mismatched:
            parts.append(f"{len(mismatched)} with the wrong shape: {listing(mismatched)}")
        raise CheckpointError(f"checkpoint {source} does not fit {type(network).__name__}: " + "; ".join(parts))
    not_loaded, _ = ms.load_param_into_net(network, to_load, strict_load=True)
    not_loaded = [n for n in not_loaded if n not in report.fresh]
    if not_loaded:
        raise CheckpointError(f"checkpoint {source}: MindSpore did not load {listing(not_loaded)}")
    report.loaded = sorted(to_load)
    report.ignored = sorted(k for k in params if k not in used)
    if report.fresh:
        warnings.warn(f"{source}: {len(report.fresh)} parameters left freshly initialised "
                      f"({listing(report.fresh)}): the checkpoint's class predictor does not fit the "
                      "requested number of classes", stacklevel=3)
    return report


def load_matching(network: ms.nn.Cell, params: dict, source: str, strict: bool = False) -> LoadReport:
    """Load every parameter the checkpoint has under the network's name (with or without ``network.``)
    and shape; report parameters missing from it (or of another shape) and entries nothing took.

    For networks built by other code (model zoo, toolkits), whose names this project does not control.
    ``strict``: any missing parameter or unused entry is an error instead of a warning.
    """
    report = LoadReport()
    used: set[str] = set()
    to_load: dict[str, ms.Parameter] = {}
    for param in network.get_parameters():
        key = lookup_key(param.name, params)
        if key is None or tuple(params[key].shape) != tuple(param.shape):
            report.missing.append(param.name if key is None else
                                  f"{param.name} (network {tuple(param.shape)}, file {tuple(params[key].shape)})")
            report.fresh.append(param.name)
            report.reasons[param.name] = ("not in the checkpoint" if key is None else
                                          f"shape {tuple(param.shape)}, checkpoint {tuple(params[key].shape)}")
            continue
        used.add(key)
        report.prefix_mapped += key != param.name
        to_load[param.name] = params[key]
    rest = [k for k in params if k not in used]
    report.ignored = sorted(k for k in rest if k.startswith(TRAINING_STATE))
    report.unused = sorted(k for k in rest if not k.startswith(TRAINING_STATE))
    problems = []
    if report.missing:
        problems.append(f"{len(report.missing)} network parameters not in it: {listing(report.missing)}")
    if report.unused:
        problems.append(f"{len(report.unused)} of its entries unused: {listing(report.unused)}")
    if problems and strict:
        raise CheckpointError(f"checkpoint {source} does not fit {type(network).__name__} (strict=True): "
                              + "; ".join(problems))
    total = len(to_load) + len(report.fresh)
    if not to_load and total:
        raise CheckpointError(f"checkpoint {source} does not fit {type(network).__name__}: not one of its {total} "
                              f"parameters is in it with the right shape (network parameters: "
                              f"{listing(report.missing)}); this is not the network the checkpoint was saved from")
    if to_load:
        ms.load_param_into_net(network, to_load)
    report.loaded = sorted(to_load)
    if total and len(to_load) < total / 2:
        warnings.warn(f"{source}: only {len(to_load)} of {total} parameters ({len(to_load) / total:.0%}) loaded from "
                      "the checkpoint; the rest stay freshly initialised", stacklevel=3)
    if problems:
        warnings.warn(f"{source}: loaded {len(to_load)} parameters; " + "; ".join(problems)
                      + " (strict=True makes this an error)", stacklevel=3)
    return report
