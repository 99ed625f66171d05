"""A card's own variant of the network its zoo directory's script builds.

Many zoo directories hold several networks behind one script, chosen by an option (resnetv2's
``--net resnetv2_101``), a config key (deeplabv3's ``export_model``) or a config file
(yolox's ``yolox_x.yaml``), and the catalog has a card for each. Run with its defaults, the script
gives every card the directory's default network; a checkpoint of another variant then loads
partly, silently. So while a script runs, the card's own fields set its options (``Selection.choose``
is the ``chooser`` of ``script_args``):

- an option that selects a network (two or more candidate values: its default, its choices, and the
  names the code compares it with, ``args.net == "resnetv2_101"``) gets the candidate that is the card's
  model name, matched up to case, ``_``, ``-`` and ``.`` (``ResnetV2_101`` is ``resnetv2_101``), or its name
  and dataset together (resnet's ``network_dataset`` is ``resnet18_cifar10``);
- a config-file option gets the directory's config file named after the model (``yolox_darknet53.yaml``;
  words like ``config``, ``default``, a device and the card's dataset aside), else one whose own words end
  the card's name (``default_config_101.yaml`` for ``fasterrcnn_resnetv1101``), else one named after the
  card's dataset only (``imagenet2012_config.yaml`` for an ImageNet card where the default is CIFAR-10's);
  one with no default (the script cannot run without it) gets the file of the directory or its config
  folders named after the card, or whose name begins with the card's in whole words, the fewest words left over
  (``IsyNet-N1_..._MA_v7.yaml`` for ``isynet_N1``, not ``IsyNet-N1-S1_...``), or else the only one there is;
- a dataset option gets the card's train dataset when it is one of the option's candidates;
- a device option with no default (``--platform`` or ``--device_target``, which the script cannot run without)
  whose candidates do not include the CPU gets the device the card's checkpoint was trained on, as the card's
  ``train-backend`` or its checkpoint's file name says (``ghostnetquant_ascend_v190_...ckpt``): the branch the
  zoo's own code takes for that checkpoint (ghostnet_quant's eval.py compares ``--platform`` with "Ascend" and
  "GPU" and raises for anything else). Where the CPU is a candidate it is the CPU, as ``--device_target``
  already gets from the command line (``sandbox.argv``); the device is never applied (``sandbox.context``).
- where only a directory's shell script ties a card to its options (IPT's ``run_eval.sh``: the card's task is
  a ``TASK_ID`` no code or card names), the options of the card's command kept by the hub
  (``documented_commands``), flags included.

The script's own spelling is always what is set. Options the caller passes win. The other
candidates make the directory's ``alternatives``: when the network does not take the card's
checkpoint whole, the loader builds them (``requested``) and keeps the one that does.
"""
from __future__ import annotations

import argparse
import os
import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ....cards.record import ModelCard
from .documented_commands import DOCUMENTED_COMMAND, DocumentedCommand, documented_command

CONFIG_SUFFIXES = (".yaml", ".yml")
CONFIG_WORD = re.compile(r"(?:^|_)(?:config|cfg)(?:_|$)", re.I)
CONFIG_KEY = re.compile(r"^(?:[a-z0-9]+_)?(?:config|cfg)(?:_path|_file)?$", re.I)  # tnt_config too
DATASET_KEY = re.compile(r"^(dataset|dataset_name|data_name|data_set|dataset_type)$", re.I)
DEVICE_KEY = re.compile(r"^(platform|device_target|device)$", re.I)
DEVICES = ("ascend", "gpu", "cpu")
DEVICE_WORD = re.compile(r"(?:^|[_\-.])(ascend|gpu|cpu)(?=[_\-.]|$)", re.I)  # ghostnetquant_ascend_v190_...ckpt
CONFIG_NOISE = {"config", "configs", "cfg", "default", "ascend", "gpu", "cpu", "train", "eval", "export", "infer",
                "yaml", "yml", "standalone", "distribute", "task"}  # task_squad_config.yaml: BERT's SQuAD config
SKIPPED_FOLDERS = {"infer", "ascend310_infer", "ascend_310_infer", "scripts", "third_party", "modelarts", "test",
                   "tests", ".git"}
MAX_SOURCES = 300  # python files of a directory scanned for compared names
MAX_ALTERNATIVES = 12  # other variants the loader may build to find the checkpoint's
VARIANTS_ATTRIBUTE = "zoo_variants"  # on a network built by a script: the directory's other variants
MIN_SHARED_PREFIX = 4  # characters a value shares with the directory's or the card's name to look like a model
# How the load report's notes begin (``hub loadable`` counts them)
VARIANT_FROM_CARD = "variant set from the card"
DATASET_FROM_CARD = "dataset set from the card"
DEVICE_FROM_CARD = "device set from the card's checkpoint"
NO_VARIANT_NAMED = "no variant is named after the card"
MOVED_DEFAULT = "default not there:"  # how the load report says an option's default became another path
MIN_SUFFIX = 3  # characters of a config file's own words that may end a card name (``101``, ``152``)
MIN_DATASET_PREFIX = 4  # characters of a file name's word that may begin the card's dataset name (``cell``, ``coco``)
ONLY_CONFIG = "config file set as the directory's only one"
CONFIG_FOLDERS = ("config", "configs", "src/config", "src/configs")  # where an option without a default looks
COMPARED = (re.compile(r"\b[A-Za-z_]\w*\.(\w+)\s*[!=]=\s*(['\"])([^'\"\n]{1,80})\2"),
            re.compile(r"(['\"])([^'\"\n]{1,80})\1\s*[!=]=\s*[A-Za-z_]\w*\.(\w+)\b"))
COMPARED_IN = re.compile(r"\b[A-Za-z_]\w*\.(\w+)\s+(?:not\s+)?in\s*[(\[{]([^)\]}\n]{1,400})[)\]}]")
QUOTED = re.compile(r"(['\"])([^'\"\n]{1,80})\1")

_REQUESTED: ContextVar[dict | None] = ContextVar("mshub_requested_variant", default=None)


def normalized(text: object) -> str:
    """A name as the matching sees it: lower case, without ``_``, ``-``, ``.`` and spaces."""
    return re.sub(r"[\s_\-.]", "", str(text).lower())


@contextmanager
def requested(values: dict) -> Iterator[None]:
    """While the body builds, scripts take these option values (a variant the loader tries) before the
    card's; the caller's own options still win."""
    token = _REQUESTED.set(dict(values))
    try:
        yield
    finally:
        _REQUESTED.reset(token)


def card_names(card: ModelCard) -> set[str]:
    """The card's names for its network: its model-name and its uid's stem without the dataset."""
    names = {normalized(card.model_name)} if card.model_name else set()
    names.add(normalized(stem_without_dataset(card)))
    return names - {""}


def stem_without_dataset(card: ModelCard) -> str:
    """The card's uid stem without its train datasets' names at its end (``sppnet_zfnet`` of
    ``sppnet_zfnet_imagenet2012``)."""
    stem = card.stem
    for dataset in card.train_datasets:
        if stem.lower().endswith("_" + dataset.lower()):
            stem = stem[: -len(dataset) - 1]
    return stem


def selection_key(card: ModelCard) -> tuple:
    """What a card's choice among a directory's options depends on: its names and datasets."""
    return tuple(sorted(card_names(card))), tuple(card.train_datasets)


def compared_names(directory: Path) -> dict[str, list[str]]:
    """option -> the names the directory's Python code compares it with (``args.net == "resnetv2_101"``,
    ``config.model in ("a", "b")``), in the order found."""
    found: dict[str, list[str]] = {}

    def add(key: str, value: str) -> None:
        values = found.setdefault(key, [])
        if value not in values:
            values.append(value)

    for path in _sources(directory):
        try:
            text = path.read_text(errors="replace")
        except OSError:
            continue
        for match in COMPARED[0].finditer(text):
            add(match.group(1), match.group(3))
        for match in COMPARED[1].finditer(text):
            add(match.group(3), match.group(2))
        for match in COMPARED_IN.finditer(text):
            for quoted in QUOTED.finditer(match.group(2)):
                add(match.group(1), quoted.group(2))
    return found


def _sources(directory: Path) -> list[Path]:
    found: list[Path] = []
    stack = [directory]
    while stack and len(found) < MAX_SOURCES:
        folder = stack.pop()
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir() and not entry.is_symlink() and entry.name not in SKIPPED_FOLDERS:
                stack.append(entry)
            elif entry.suffix == ".py":
                found.append(entry)
    return found[:MAX_SOURCES]


@dataclass
class Selection:
    """What a card chose among a script's options, filled while the script runs."""

    card: ModelCard
    directory: Path
    compared: dict[str, list[str]]
    requested: dict = field(default_factory=dict)  # a variant the loader asked for
    caller: frozenset = frozenset()  # options the caller passed: never set from the card
    chosen: dict = field(default_factory=dict)  # option -> value from the card's names or dataset
    kept: dict = field(default_factory=dict)  # selector option -> its default, where no candidate is the card's
    space: dict[str, list] = field(default_factory=dict)  # selector option -> its candidate values
    abandoned: str = ""  # why the card's choice was given up for the script's defaults
    sole: set = field(default_factory=set)  # config options set to the directory's only file, named after no card
    unset: set = field(default_factory=set)  # options set from the card that have no default in the script
    devices: dict = field(default_factory=dict)  # device option with no default -> the value set, and why
    cards_error: BaseException | None = None  # what the card's choice of such an option failed with
    selectable: bool = False  # an option was seen whose value may depend on the card (``depends_on_card``)
    moved: dict = field(default_factory=dict)  # option -> (its default, not here; what it is here)
    script: str = ""  # the script whose options these are (``export.py``): of two configs named alike, its own wins
    documented: dict = field(default_factory=dict)  # option -> value of the card's documented command
    command: DocumentedCommand | None = None  # that command (``documented_commands``)

    @property
    def datasets(self) -> set[str]:
        """The card's train datasets as the matching sees them."""
        return {normalized(d) for d in self.card.train_datasets}

    def choose(self, actions: list[argparse.Action]) -> dict:
        """The values this card sets among ``actions`` (one parser's options)."""
        names = card_names(self.card)
        values: dict = {}
        command = documented_command(self.card)
        for action in actions:
            if not action.option_strings or action.dest in (argparse.SUPPRESS, "help"):
                continue
            dest = action.dest
            if dest in self.caller:
                continue
            if command is not None and dest in command.options and dest not in self.requested:
                values[dest] = self.documented[dest] = command.options[dest]
                self.command, self.selectable = command, True
                continue
            if action.nargs == 0:
                continue
            if dest in self.requested:
                values[dest] = self.requested[dest]
            elif CONFIG_KEY.match(dest) and _is_config_path(action.default):
                self._choose_config(dest, action.default, names, values, _as_parsed(action))
            elif CONFIG_KEY.match(dest) and action.default is None and action.type in (None, str):
                self._choose_unset_config(dest, names, values, action.help)
            elif DEVICE_KEY.match(dest) and action.default is None and action.type in (None, str):
                self._choose_unset_device(dest, action, values)
            elif self._choose_author_checkout(dest, action.default, values):
                continue
            elif DATASET_KEY.match(dest):
                wanted = self.datasets
                self.selectable |= len(self._candidates(action)) > 1
                match = next((v for v in self._candidates(action) if normalized(v) in wanted), None)
                if match is not None:
                    values[dest] = self.chosen[dest] = match
            else:
                self._choose_value(dest, action, names, values)
        return values

    def key(self) -> str:
        """This selection's variant, as a key: the card's names and datasets and the variant requested."""
        return repr((selection_key(self.card), sorted(self.requested.items(), key=str)))

    def depends_on_card(self) -> bool:
        """Whether another card of the directory may choose otherwise than this one did (or the defaults did):
        some option offered network names, config files or datasets to choose from."""
        return self.selectable or bool(self.chosen or self.kept or self.space or self.requested)

    def defaults_worth_trying(self) -> bool:
        """Whether the script's defaults may build what the card's choice did not (what it built before)."""
        return bool(self.chosen) and not self.requested

    def abandon(self, error: BaseException | None) -> None:
        """The script exported nothing with the card's choice: it runs again with its defaults (what
        it built before cards chose), and the report says why."""
        what = f"{type(error).__name__}: {str(error)[:200]}" if error is not None else "no export"
        self.abandoned = f"{self.describe(self.chosen)} ({what})"
        if self.unset & set(self.chosen):  # the card set an option the script has no default for
            self.cards_error = error
        self.chosen.clear()

    def error_to_report(self, error: BaseException | None) -> BaseException | None:
        """The error of a script that built nothing: after the card's choice of an option the script has no
        default for failed and the defaults failed too, the card's error, not the defaults' "no value"."""
        return self.cards_error if self.cards_error is not None else error

    def _candidates(self, action: argparse.Action) -> list[str]:
        candidates = [action.default] if isinstance(action.default, str) and action.default else []
        candidates += [c for c in (action.choices or ()) if isinstance(c, str)]
        candidates += self.compared.get(action.dest, [])
        return list(dict.fromkeys(candidates))

    def _choose_value(self, dest: str, action: argparse.Action, names: set[str], values: dict) -> None:
        if action.type not in (None, str):
            return
        candidates = self._candidates(action)
        if len({normalized(c) for c in candidates}) < 2:
            return
        self.selectable |= any(self._looks_like_model(c) for c in candidates)
        with_dataset = {normalized(self.card.stem)} | {n + d for n in names for d in self.datasets}
        match = (next((c for c in candidates if normalized(c) in with_dataset), None)  # resnet's ``resnet18_cifar10``
                 or next((c for c in candidates if normalized(c) in names), None) or _prefix_match(candidates, names)
                 or _last_words_match(candidates, self.card))
        if match is not None:
            values[dest] = self.chosen[dest] = match
            self.space[dest] = [c for c in candidates if self._looks_like_model(c) or c == match]
        elif sum(self._looks_like_model(c) for c in candidates) >= 2:
            self.kept[dest] = action.default
            self.space[dest] = [c for c in candidates if self._looks_like_model(c)]

    def _choose_config(self, dest: str, default: str, names: set[str], values: dict, parsed: object = None) -> None:
        """``parsed``: the default as the option's ``type`` makes it (BERT's ``get_abs_path`` joins it to its config
        module's folder): whether the default is there is judged by it."""
        current = (self.directory / default).resolve()
        files = config_files(self.directory, current.parent)
        there = (self.directory / (parsed if isinstance(parsed, str) else default)).resolve()
        if not there.is_file():  # ViT's ``../../vit_patch32_imagenet2012_config.yml``, since moved
            moved = list(dict.fromkeys(files + unset_config_files(self.directory)))
            if self._choose_config_in(dest, current, moved, names, values, stale=True):
                return
        self._choose_config_in(dest, current, files, names, values)

    def _choose_config_in(self, dest: str, current: Path, files: list[Path], names: set[str], values: dict,
                          stale: bool = False) -> bool:
        """Choose the card's among ``files`` for a config option whose default is ``current``; whether it chose.
        ``stale``: the default is not there (the script fails as it is), so the config folders' files are
        candidates too, and nothing is said when none is the card's."""
        if len(files) < 2:
            return False
        dataset = self.datasets
        matches = [f for f in files if _config_names(f, dataset) & names]
        if not matches:  # ``default_config_101.yaml`` for ``fasterrcnn_resnetv1101``: the words that set it apart
            matches = [f for f in files if _ends_a_name(f, names, dataset)]
        if not matches:  # ``imagenet2012_config.yaml`` for an ImageNet card, where the default is CIFAR-10's
            matches = [f for f in files if dataset and (words := _tokens(f) - CONFIG_NOISE)
                       and all(_is_dataset_word(w, dataset) for w in words)]
        if not matches and stale:
            moved = self._moved_default(current, files)
            if moved is not None:  # the default itself, moved (YOLOv3-tiny) or kept per device (TSM)
                values[dest] = moved
                self.moved[dest] = (_shown(current, self.directory), moved)
                self.selectable = True
                self.space[dest] = [str(f) for f in files]  # the other files stay variants the loader may try
                return True
            matches = _dataset_first(files, dataset)  # fasttext's ``ag_config.yaml`` for AG News
        if stale and not matches:
            return False
        self.selectable = True
        self.space[dest] = [str(f) for f in files]
        if not matches:
            self.kept[dest] = _shown(current, self.directory)
            return False
        own = normalized(Path(self.script).stem)
        other_devices = set(DEVICES) - {checkpoint_device(self.card)}
        best = min(matches, key=lambda f: (f != current, not _names_dataset(f, dataset), own not in _tokens(f),
                                           bool(_tokens(f) & other_devices), len(_tokens(f)), f.name.lower()))
        values[dest] = self.chosen[dest] = str(best)
        return True

    def _moved_default(self, current: Path, files: list[Path]) -> str | None:
        """The file a default config that is not there became: the one file of its name in the config folders
        (YOLOv3-tiny's ``../default_config.yaml``, now ``config/default_config.yaml``), else the one copy of
        it per device, the card's checkpoint's device's (TSM's ``tsm_sthv2_config.yaml``, now
        ``tsm_sthv2_config_ascend.yaml`` and ``_gpu``)."""
        same = [f for f in files if f.name == current.name]
        if len(same) == 1:
            return str(same[0])
        words = _own_words(current, set())
        copies = [f for f in files if words and _own_words(f, set()) == words and f != current]
        device = checkpoint_device(self.card)
        mine = [f for f in copies if device is not None and device in _tokens(f)]
        return str(mine[0]) if len(mine) == 1 else None

    def _choose_author_checkout(self, dest: str, default: object, values: dict) -> bool:
        """A project option whose default is the author's own checkout of the directory (ICNet's
        ``--project_path /root/ICNet/``, to which it joins ``src/model_utils/icnet.yaml``): that directory here."""
        if not (isinstance(default, str) and os.path.isabs(default) and not os.path.exists(default)):
            return False
        if Path(default).name != self.directory.name:
            return False
        here = str(self.directory) + ("/" if default.endswith("/") else "")
        values[dest] = here
        self.moved[dest] = (default, here)
        return True

    def _choose_unset_config(self, dest: str, names: set[str], values: dict, help_text: str | None = None) -> None:
        """A config option without a default: the script fails unless it is set, so it gets the file named
        after the card, or the directory's only config file (the one its README's commands can name). A
        directory with no YAML config offers its JSON ones, when the option's help asks for JSON or the file's
        name says config (WGAN's ``generator_config.json``)."""
        files = unset_config_files(self.directory) or json_config_files(self.directory, help_text)
        if not files:
            return
        self.selectable = True
        dataset = self.datasets
        best = named_config(files, names, dataset)
        if best is None:  # SE-Net's ``se-resnet50_imagenet2012_config_gpu.yaml`` for ``senetresnet50``
            ending = [f for f in files if _ends_a_name(f, names, dataset, apart_from=files)]
            best = ending[0] if len(ending) == 1 else None
        if best is None and len(files) == 1:
            best = files[0]
            self.sole.add(dest)
        if best is None:
            return
        values[dest] = self.chosen[dest] = str(best)
        self.space[dest] = [str(f) for f in files]
        self.unset.add(dest)

    def _choose_unset_device(self, dest: str, action: argparse.Action, values: dict) -> None:
        """A device option the script has no default for: the CPU where the script takes it, else the device the
        card's checkpoint was trained on, spelt as the script spells it; nothing when neither is a candidate."""
        if dest.lower() == "device_target" and (action.choices is None or "CPU" in action.choices):
            return  # the command line gives it the CPU (``sandbox.argv``)
        candidates = {normalized(c): c for c in self._candidates(action) if normalized(c) in DEVICES}
        if "cpu" in candidates:
            values[dest] = self.chosen[dest] = candidates["cpu"]
            self.devices[dest] = (candidates["cpu"], "the CPU, which the script takes")
            self.unset.add(dest)
            return
        trained = checkpoint_device(self.card)
        if trained in candidates:
            values[dest] = self.chosen[dest] = candidates[trained]
            self.devices[dest] = (candidates[trained], f"trained on {candidates[trained]}; the script does not take "
                                                       "the CPU")
            self.unset.add(dest)

    def _looks_like_model(self, value: str) -> bool:
        value = normalized(value)
        families = {normalized(self.directory.name), normalized(self.card.backbone)} | card_names(self.card)
        return any(len(_shared_prefix(value, f)) >= MIN_SHARED_PREFIX for f in families if f)

    def alternatives(self) -> list[dict]:
        """Other variants the directory offers (one option changed each), for the loader to try."""
        current = {**{k: v for k, v in self.kept.items()}, **self.chosen, **self.requested}
        found: list[dict] = []
        for dest, candidates in self.space.items():
            for value in candidates:
                if _same(value, current.get(dest), self.directory):
                    continue
                found.append({dest: value})
        return found[:MAX_ALTERNATIVES]

    def notes(self) -> list[str]:
        """What the load report says of the selection."""
        notes = []
        label = self.card.model_name or self.card.stem
        if self.requested:
            notes.append("variant tried for the checkpoint: " + self.describe(self.requested))
        if self.abandoned:
            notes.append(f"the card's own options did not build: {self.abandoned}; built with the script's defaults")
        if self.documented and self.command is not None:
            given = ", ".join(f"{k}={v!r}" for k, v in self.documented.items())
            notes.append(f"{DOCUMENTED_COMMAND} ({self.command.read_from}; kept by the hub: neither the code nor the "
                         f"card names the card's branch): {given}")
        sole = {k: v for k, v in self.chosen.items() if k not in self.requested and k in self.sole}
        if sole:
            notes.append(f"{ONLY_CONFIG} (none is named after {label!r}): {self.describe(sole)}")
        picked = {k: v for k, v in self.chosen.items()
                  if k not in self.requested and k in self.space and k not in self.sole}
        if picked:
            notes.append(f"{VARIANT_FROM_CARD} ({label!r}): {self.describe(picked)}")
        dataset = {k: v for k, v in self.chosen.items()
                   if k not in self.requested and k not in self.space and k not in self.devices}
        if dataset:
            notes.append(f"{DATASET_FROM_CARD} ({', '.join(self.card.train_datasets)}): {self.describe(dataset)}")
        for dest, (value, why) in self.devices.items():
            if self.chosen.get(dest) == value and dest not in self.requested:
                notes.append(f"{DEVICE_FROM_CARD} ({why}): {dest}={value!r}, which the script has no default for "
                             "(never applied: the network runs where you run it)")
        for dest, (default, here) in self.moved.items():
            notes.append(f"{MOVED_DEFAULT} {dest}={_shown(here, self.directory)!r}: its default {default!r} is not "
                         "there; this is what it became in the directory")
        kept = {k: v for k, v in self.kept.items() if k not in self.requested and k not in self.chosen}
        if kept and not self.requested:  # a requested variant was chosen by the checkpoint, not the names
            others = sorted({_shown(v, self.directory) for d in kept for v in self.space.get(d, [])})
            notes.append(f"{NO_VARIANT_NAMED} ({label!r}): the default stays, "
                         f"{self.describe(kept)} (the directory offers {', '.join(others)})")
        return notes

    def describe(self, values: dict) -> str:
        return ", ".join(f"{k}={_shown(v, self.directory)!r}" for k, v in values.items())

    def facts(self) -> dict:
        """The selection as ``BuildRecord`` fields (the same split ``notes`` says in sentences)."""
        def shown(values: dict) -> dict:
            return {k: _shown(v, self.directory) for k, v in values.items()}

        mine = {k: v for k, v in self.chosen.items() if k not in self.requested}
        kept = {k: v for k, v in self.kept.items() if k not in self.requested and k not in self.chosen}
        return {"variant": shown({k: v for k, v in mine.items() if k in self.space and k not in self.sole}),
                "dataset_option": shown({k: v for k, v in mine.items()
                                         if k not in self.space and k not in self.devices}),
                "device_option": shown({k: v for k, v in mine.items() if k in self.devices}),
                "sole_config": shown({k: v for k, v in mine.items() if k in self.sole}),
                "no_variant_named": shown(kept) if not self.requested else {},
                "variant_requested": shown(self.requested), "variant_abandoned": self.abandoned}


def selection_for(card: ModelCard, directory: Path, caller: dict | None = None, script: str = "") -> Selection:
    """A fresh selection for one run of ``script`` of ``directory`` with the caller's options ``caller``
    (the loader's requested variant included)."""
    return Selection(card, directory, compared_names(directory), dict(_REQUESTED.get() or {}),
                     frozenset(caller or {}), script=script)


def checkpoint_device(card: ModelCard) -> str | None:
    """The device the card's checkpoint was trained on (``ascend``, ``gpu``, ``cpu``): its ``train-backend``, else
    the device word of its checkpoint's file name (the zoo names them ``<model>_<device>_v<release>_...``)."""
    backends = [b.lower() for b in card.train_backends if b.lower() in DEVICES]
    if backends:
        return backends[0]
    ckpt = card.ckpt
    if ckpt is None:
        return None
    match = DEVICE_WORD.search(ckpt.file_name)
    return match.group(1).lower() if match else None


def _as_parsed(action: argparse.Action) -> object:
    """An option's string default as argparse hands it to the script: through the option's ``type``, when that is
    a function of the script's own (a failing one leaves the default as it is)."""
    kind, default = action.type, action.default
    if not isinstance(default, str) or not callable(kind) or kind in (str, int, float, bool):
        return default
    try:
        return kind(default)
    except Exception:
        return default


def config_files(directory: Path, folder: Path) -> list[Path]:
    """The YAML files a config option could name: those of its default's folder and of the directory."""
    return _yaml_files((folder, directory))


def unset_config_files(directory: Path) -> list[Path]:
    """The YAML files a config option without a default could name: the directory's own and its config
    folders' (``CONFIG_FOLDERS``)."""
    return _yaml_files((directory, *(directory / f for f in CONFIG_FOLDERS)))


def json_config_files(directory: Path, help_text: str | None) -> list[Path]:
    """The directory's JSON files a config option without a default could name: all of them when its help
    says JSON, else those whose name says config."""
    asks_json = "json" in (help_text or "").lower()
    return [path.resolve() for path in sorted(directory.glob("*.json"))
            if path.is_file() and (asks_json or CONFIG_WORD.search(path.stem))]


def _yaml_files(places) -> list[Path]:
    """The YAML files of ``places``, in order, each once."""
    files: dict[Path, None] = {}
    for place in places:
        if place.is_dir():
            for path in sorted(place.iterdir()):
                if path.suffix.lower() in CONFIG_SUFFIXES and path.is_file():
                    files[path.resolve()] = None
    return list(files)


def named_config(files: list[Path], names: set[str], dataset: set[str]) -> Path | None:
    """The config file named after the card: one whose name is a card name (noise words and the dataset
    aside), else one whose words begin with a card name's (the longest card name that begins any), the
    fewest words left over. ``None`` when two files with different names are equally near."""
    exact = [f for f in files if _config_names(f, dataset) & names]
    if exact:
        return min(exact, key=lambda f: (not _names_dataset(f, dataset), len(_tokens(f)), f.name.lower()))
    for name in sorted(names, key=len, reverse=True):
        left = {f: rest for f in files if (rest := _words_after(f, name, dataset)) is not None}
        if not left:
            continue
        fewest = min(len(rest) for rest in left.values())
        nearest = [f for f, rest in left.items() if len(rest) == fewest]
        if len({"".join(left[f]) for f in nearest}) > 1:
            return None
        return min(nearest, key=lambda f: (len(_tokens(f)), f.name.lower()))
    return None


def _ends_a_name(path: Path, names: set[str], dataset: set[str], apart_from: list[Path] = ()) -> bool:
    """Whether a config file's own words (noise words and the dataset aside: ``101`` of
    ``default_config_101.yaml``) end a card name longer than them, at least MIN_SUFFIX characters. With
    ``apart_from``, only the words that set it apart from those files count (``resnet50`` of
    ``se-resnet50_imagenet2012_config_gpu.yaml`` beside ``se-resnet101_...``)."""
    words = _own_words(path, dataset)
    if apart_from:
        shared = set.intersection(*(set(_own_words(f, dataset)) for f in apart_from))
        words = [w for w in words if w not in shared]
    own = "".join(words)
    return len(own) >= MIN_SUFFIX and any(name.endswith(own) and name != own for name in names)


def _dataset_first(files: list[Path], dataset: set[str]) -> list[Path]:
    """The one file whose first word is the card's dataset or begins its name (``ag`` of ``agnews``, at least
    two characters), for a script whose default config is not there; none when several are."""
    found = [f for f in files if (words := _words(f)) and len(words[0]) >= 2
             and any(d == words[0] or d.startswith(words[0]) for d in dataset)]
    return found if len(found) == 1 else []


def _words_after(path: Path, name: str, dataset: set[str]) -> list[str] | None:
    """The words of a config file's name (noise words and the dataset aside) after the first ones that
    spell ``name``; ``None`` unless whole words do (``resnet`` begins ``resnet50`` in no whole word)."""
    words = _own_words(path, dataset)
    spelled = ""
    for index, word in enumerate(words):
        spelled += word
        if spelled == name:
            return words[index + 1:]
        if not name.startswith(spelled):
            return None
    return None


def _is_config_path(value: object) -> bool:
    return isinstance(value, str) and value.lower().endswith(CONFIG_SUFFIXES)


def _words(path: Path) -> list[str]:
    """The words of a file's name as the matching sees them (``IsyNet-N1_config`` -> isynet, n1, config)."""
    return [w for w in (normalized(t) for t in re.split(r"[_\-.\s]+", path.stem)) if w]


def _tokens(path: Path) -> set[str]:
    return set(_words(path))


def _own_words(path: Path, dataset: set[str]) -> list[str]:
    """A config file's words without noise words (``config``, ``default``, a device...) and the dataset."""
    return [w for w in _words(path) if w not in CONFIG_NOISE and not _is_dataset_word(w, dataset)]


def _is_dataset_word(word: str, dataset: set[str]) -> bool:
    """Whether a file name's word names the card's dataset: the dataset itself, or the first part of its name
    (``cell`` of ``cellnuclei``, ``coco`` of ``coco2017``), of at least MIN_DATASET_PREFIX characters."""
    return word in dataset or (len(word) >= MIN_DATASET_PREFIX and any(d.startswith(word) for d in dataset))


def _names_dataset(path: Path, dataset: set[str]) -> bool:
    return any(_is_dataset_word(w, dataset) for w in _tokens(path))


def _config_names(path: Path, dataset: set[str]) -> set[str]:
    """The names a config file is taken for: its stem, and its stem without noise words and the dataset."""
    return {normalized(path.stem), "".join(_own_words(path, dataset))} - {""}


def _prefix_match(candidates: list[str], names: set[str]) -> str | None:
    """The longest candidate a card name begins with, up to a digit followed by a letter: the uid stem
    ``deeplabv3s8r2`` is ``deeplab_v3_s8`` (its ``r2`` a revision), while ``resnet`` is no prefix of
    ``resnet50`` (the digits name another network)."""
    found = [c for c in candidates for name in names
             if (n := normalized(c)) and name.startswith(n) and len(name) > len(n)
             and n[-1].isdigit() and name[len(n)].isalpha()]
    return max(found, key=lambda c: len(normalized(c)), default=None)


def _last_words_match(candidates: list[str], card: ModelCard) -> str | None:
    """The candidate the card's uid stem ends with, as whole words before its dataset: SPPNet's ``zfnet`` for
    ``sppnet_zfnet_imagenet2012``, whose model name is ``SPPNet``; the longest such run of words wins."""
    words = [w for w in re.split(r"[_\-]", stem_without_dataset(card).lower()) if w]
    endings = {normalized("".join(words[i:])) for i in range(1, len(words))}
    found = [c for c in candidates if normalized(c) in endings]
    return max(found, key=lambda c: len(normalized(c)), default=None)


def _shared_prefix(a: str, b: str) -> str:
    size = 0
    while size < min(len(a), len(b)) and a[size] == b[size]:
        size += 1
    return a[:size]


def _shown(value: object, directory: Path) -> str:
    """A config path relative to the directory; any other value as it is."""
    if isinstance(value, (str, Path)) and str(value).lower().endswith(CONFIG_SUFFIXES):
        try:
            return str(Path(value).resolve().relative_to(directory.resolve()))
        except ValueError:
            return str(value)
    return str(value)


def _same(a: object, b: object, directory: Path) -> bool:
    return b is not None and _shown(a, directory) == _shown(b, directory)
