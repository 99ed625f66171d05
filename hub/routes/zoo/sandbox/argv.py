"""The command line a zoo script sees when the hub runs it: what an export needs, and never an exit.

Zoo scripts read their options with argparse, directly or through the zoo's ``model_utils`` config
(YAML defaults turned into argparse options, then merged). While one runs, every parser it makes:

- parses a command line of only what an export needs that the parser offers: the checkpoint path
  (an option named so, or one the script hands to ``load_checkpoint``; a placeholder: the script's own
  checkpoint loading does nothing, the hub loads the card's), the
  file format, and the CPU (when the option allows it; or the device a caller names, ``device``: the device
  is never applied to the process either way); ``sys.argv`` shows that command line, with the
  options set from the card or the caller, to code that reads it beside argparse;
- never exits: options it does not know are ignored, required options may be absent (left at their
  default), and an error is raised as ``ScriptOptionError`` naming the option;
- takes the caller's overrides (``load(uid, num_classes=10)``) on the parsed namespace with their
  Python values, so YAML-config scripts merge them into their config like any option.

``offered`` collects every option the script's parsers know, so an override nobody took is reported
with the keys there are. A ``chooser`` (``hub.routes.zoo.variants.selection``) sees each parser's options and
gives values of its own for some (the card's variant of the network); the caller's overrides win, and
what it set is kept in ``from_card``.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from ....errors import ScriptOptionError
from .guard import library_caches
from .patches import original, substituted

CHECKPOINT_PLACEHOLDER = "mshub-checkpoint-loaded-by-the-hub.ckpt"
CHECKPOINT_WORDS = ("ckpt", "checkpoint")
# a word of an option's name that says checkpoint too (IPT's eval.py loads ``--pth_path``), not within a word
CHECKPOINT_PARTS = {"pth"}
# options that ask for a distributed run, set False: the hub runs one process on one device
# options that ask for a cluster run, turned off: the hub runs one process on one device, off ModelArts
DISTRIBUTED_OPTIONS = {"is_distributed", "run_distribute", "distribute", "distributed", "modelarts",
                       "enable_modelarts", "run_modelarts", "is_modelarts", "modelarts_flag", "run_cloudbrain",
                       "run_online"}


@dataclass
class ScriptOptions:
    overrides: dict
    offered: set[str] = field(default_factory=set)
    taken: set[str] = field(default_factory=set)
    chooser: Callable[[list[argparse.Action]], dict] | None = None
    from_card: dict = field(default_factory=dict)  # option -> value the chooser set
    device_set: str = ""  # the device its ``--device_target`` option was given, when it was given one
    values: dict = field(default_factory=dict)  # option -> the value it was parsed to (the last parse's)

    def untaken(self) -> list[str]:
        return sorted(set(self.overrides) - self.taken)


# an option the script itself hands to ``load_checkpoint`` (``load_checkpoint(args.pretrained)``): a checkpoint
# path, whatever its name says
LOADED_OPTION = re.compile(r"\bload_(?:checkpoint|ckpt|param\w*|pretrain\w*|weight\w*|model)\(\s*(?:\w+\s*,\s*)?"
                           r"(?:\w+\s*=\s*)?(?:[A-Za-z_]\w*\.)+(\w+)\s*[,)]")
GENERIC_NAMES = {"path", "file", "dir", "name", "url"}  # the last part of ``self.cfg.path``: no option's name


def checkpoint_options(script: Path) -> frozenset[str]:
    """The options ``script`` passes to ``load_checkpoint`` as ``args.<option>`` (or ``config.<option>``):
    TNT's and ConvNeXt's export.py load ``--pretrained``, which no checkpoint word names."""
    try:
        return frozenset(LOADED_OPTION.findall(script.read_text(errors="replace"))) - GENERIC_NAMES
    except OSError:
        return frozenset()


def _export_needs(parser: argparse.ArgumentParser, loaded: frozenset[str] = frozenset(),
                  device: str | None = "CPU", data: bool = False) -> list[str]:
    """``--option value`` pairs for the options of an export this parser offers (``loaded``: options the
    script loads a checkpoint from; ``device``: what its device option gets where it allows it, None for its
    own default; ``data``: options naming input data with no value get ``absent_data``)."""
    argv: list[str] = []
    for action in parser._actions:
        if not action.option_strings or action.nargs == 0:
            continue
        flag = max(action.option_strings, key=len)
        dest = action.dest.lower()
        if dest == "file_format" and _allows(action, "MINDIR"):
            argv += [flag, "MINDIR"]
        elif _sets_device(action, device):
            argv += [flag, device]
        elif ((_names_a_checkpoint(dest) or action.dest in loaded) and not isinstance(action.default, bool)
              and action.type in (None, str) and (not action.default or _absent_checkpoint(action.default))):
            argv += [flag, checkpoint_placeholder()]
        elif dest in DISTRIBUTED_OPTIONS and action.default in (True, 1) and action.type not in (None, str):
            argv += [flag, _false_word(action.type)]
        elif data and action.default is None and action.type in (None, str) and names_data(dest):
            argv += [flag, absent_data(action.dest)]
    return argv


DATA_WORDS = {"data", "dataset", "url", "path", "dir", "root", "file", "folder", "image", "images", "img", "input"}
NOT_DATA_WORDS = {"output", "out", "save", "result", "results", "log", "logs", "summary", "export", "train",
                  "checkpoint", "ckpt", "pretrained"}
ABSENT_DATA_ROOT = "/mshub-data-not-here"


def names_data(dest: str) -> bool:
    """An option whose name says it holds input data (``--data_url``, ``--dataset_path``, ``--val_dir``), not
    where results go nor what training reads."""
    words = set(re.split(r"[_\-]", dest.lower()))
    return bool(words & DATA_WORDS) and not words & NOT_DATA_WORDS


def absent_data(dest: str) -> str:
    """The path a data option with no value is given while the hub follows an eval pipeline: one that is not
    there, so the script joins it into paths as it would its dataset's (``os.path.join(args.data_path, "val")``,
    which fails on None) and hands it to a dataset class, which is a stand-in then; a read of it fails naming it."""
    return f"{ABSENT_DATA_ROOT}/{dest}"


def _absent_checkpoint(default: object) -> bool:
    """A default that names a checkpoint file of the training run (YOLOX's ``0-2755_64.ckpt``), not here."""
    return isinstance(default, str) and default.endswith(".ckpt") and not os.path.isfile(default)


def checkpoint_placeholder() -> str:
    """The path a zoo script is given for its checkpoint: an empty file of this process's scratch folder, so a
    script that checks the file is there (``if os.path.isfile(config.val_ckpt)``, YOLO's) goes on to load it,
    which does nothing (the hub loads the card's verified checkpoint itself)."""
    path = library_caches() / CHECKPOINT_PLACEHOLDER
    if not path.is_file():
        path.touch()
    return str(path)


def _names_a_checkpoint(dest: str) -> bool:
    return any(w in dest for w in CHECKPOINT_WORDS) or bool(CHECKPOINT_PARTS & set(re.split(r"[_\-]", dest)))


def _show_in_argv(parser: argparse.ArgumentParser, needs: list[str], set_after: dict) -> None:
    """``sys.argv`` as the command line this parser took: code that reads it beside argparse (TNT's
    ``if len(sys.argv) > 1: get_config()``, which then merges the flags it finds there) sees the same
    options. Values of other than plain types stay off it; the namespace holds them."""
    actions = {a.dest: a for a in parser._actions if a.option_strings}
    shown = list(needs)
    for dest, value in set_after.items():
        action = actions.get(dest)
        if action is None or not isinstance(value, (str, int, float, bool)):
            continue
        flag = max(action.option_strings, key=len)
        if flag in shown:  # the caller's value over the export's need (a checkpoint of their own)
            index = shown.index(flag)
            del shown[index:index + 2]
        if action.nargs == 0:  # store_true and the like: the flag alone, when it is set
            shown += [flag] if value == action.const else []
        else:
            shown += [flag, str(value)]
    sys.argv = [*sys.argv[:1], *shown]


def _false_word(kind) -> str:
    """The word an option of type ``kind`` parses to False (0): ``type=bool`` makes ``bool(word)``, which is False
    for the empty word alone (IRN's, CycleGAN's and retinaface's ``--modelarts_FLAG``, default True, which their
    README's commands cannot turn off); ``int`` takes "0"; ``ast.literal_eval`` and the zoo's ``str2bool`` "False"."""
    return "" if kind is bool else "0" if kind is int else "False"


def _given_words(parser: argparse.ArgumentParser, given: dict[str, str]) -> list[str]:
    words: list[str] = []
    for action in parser._actions:
        if action.option_strings and action.nargs != 0 and action.dest in given:
            words += [max(action.option_strings, key=len), given[action.dest]]
    return words


def _allows(action: argparse.Action, value: str) -> bool:
    return action.choices is None or value in action.choices


def _sets_device(action: argparse.Action, device: str | None) -> bool:
    """Whether ``action`` is a script's device option (``--device_target``) that takes ``device``."""
    return (bool(device) and bool(action.option_strings) and action.nargs != 0
            and action.dest.lower() == "device_target" and _allows(action, device))


@contextmanager
def tolerant_command_line(overrides: dict, export: bool = True,
                          chooser: Callable[[list[argparse.Action]], dict] | None = None,
                          loaded: frozenset[str] = frozenset(), device: str | None = "CPU",
                          data: bool = False, given: dict[str, str] | None = None) -> Iterator[ScriptOptions]:
    """Argparse as described above while the body runs; yields what the parsers offered and took.
    ``export`` False: the command line is empty (a hub conf's config keeps its defaults, as it has
    under MindSpore Hub), but parsing is just as tolerant. ``data``: the run follows an eval pipeline, whose
    data options with no value get ``absent_data`` paths. ``given``: option -> the word its flag is given on the
    command line, where a parser offers it (parsed as the script parses it)."""
    options = ScriptOptions(dict(overrides), chooser=chooser)
    cls = argparse.ArgumentParser
    original_known = original(cls, "parse_known_args")

    def parse_known_args(self, args=None, namespace=None):
        for action in self._actions:
            action.required = False
        for group in getattr(self, "_mutually_exclusive_groups", ()):
            group.required = False
        from_command_line = args is None
        if args is None:
            args = _export_needs(self, loaded, device, data) if export else []
            if export and any(_sets_device(action, device) for action in self._actions):
                options.device_set = device
            if export and given:
                args += _given_words(self, given)
        parsed, extras = original_known(self, args, namespace)
        before = dict(vars(parsed))
        dests = {a.dest for a in self._actions if a.dest not in (argparse.SUPPRESS, "help")}
        options.offered |= dests
        options.values.update({k: v for k, v in vars(parsed).items() if k in dests})
        for key, value in options.overrides.items():
            if key in dests:
                setattr(parsed, key, value)
                options.taken.add(key)
        if options.chooser is not None:
            for key, value in options.chooser(list(self._actions)).items():
                if key in dests and key not in options.overrides:
                    setattr(parsed, key, value)
                    options.from_card[key] = value
        if export and from_command_line:
            _show_in_argv(self, args, {k: v for k, v in vars(parsed).items() if before.get(k, object()) is not v})
        return parsed, extras

    def parse_args(self, args=None, namespace=None):
        return parse_known_args(self, args, namespace)[0]

    def error(self, message):
        raise ScriptOptionError(f"its option parser ({self.prog}) refused the command line: {message}")

    # the parser's methods and sys.argv, for the code of this context alone (``patches``): another thread parsing
    # its own command line meanwhile parses it as always
    with substituted([(cls, "parse_known_args", parse_known_args), (cls, "parse_args", parse_args),
                      (cls, "error", error), (sys, "argv", list(sys.argv))]):
        yield options
