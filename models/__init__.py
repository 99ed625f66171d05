"""Networks served by the hub; ``hubconf.py`` exposes them as entry points."""
from .ssd import SSDInference, SSDResNet50FPN

__all__ = ["SSDInference", "SSDResNet50FPN"]
