"""Publishing a model: a card written from a checkpoint (``card new``) and a card checked as its users
will load it (``card check``)."""
from ..errors import CardWriteError
from .card_check import CardCheck, check_card
from .card_writer import NewCard, WrittenCard, write_card

__all__ = ["CardCheck", "CardWriteError", "NewCard", "WrittenCard", "check_card", "write_card"]
