"""What a route's build did, as typed fields: the load report carries them (``LoadReport.build``), the survey's
JSON and the catalog site read them, and the notes a person reads are written beside them. Nothing reads the
notes' sentences."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields


@dataclass
class BuildRecord:
    built_by: str = ""  # the file or factory that built the network (``official/cv/resnet/export.py``)
    variant: dict = field(default_factory=dict)  # option -> value the card's names chose (values as shown)
    dataset_option: dict = field(default_factory=dict)  # option -> value the card's dataset chose
    device_option: dict = field(default_factory=dict)  # device option with no default -> the card's checkpoint's
    sole_config: dict = field(default_factory=dict)  # option -> the directory's only config file, named after no card
    no_variant_named: dict = field(default_factory=dict)  # selector option -> its default, kept: no value is the card's
    variant_requested: dict = field(default_factory=dict)  # a variant the loader built to fit the checkpoint
    variant_abandoned: str = ""  # why the card's choice gave way to the script's defaults
    card_specific: bool = False  # another card of the directory may build otherwise (hub conf, script, subdirectory)
    options: dict = field(default_factory=dict)  # the caller's options, as the code took them
    supplied: list[str] = field(default_factory=list)  # removed names supplied (``compat``)
    not_applied: list[str] = field(default_factory=list)  # settings of the process the code asked for, not applied
    refused: list[str] = field(default_factory=list)  # actions of the code the hub refused
    stand_ins: list[str] = field(default_factory=list)  # datasets made stand-ins (the eval route)

    @property
    def variant_from_card(self) -> bool:
        return bool(self.variant)

    def to_dict(self) -> dict:
        """JSON-ready (an option's value that is not a plain value is given as its ``repr``)."""
        data = asdict(self)
        data["options"] = {k: v if isinstance(v, (str, int, float, bool, type(None))) else repr(v)
                           for k, v in self.options.items()}
        return data

    @classmethod
    def from_dict(cls, data: dict) -> BuildRecord:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (data or {}).items() if k in names})
