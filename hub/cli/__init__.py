"""``python -m hub`` and the ``mshub`` console script."""
from .commands import main

__all__ = ["main"]
