"""Networks served by the hub; ``hubconf.py`` exposes them as entry points."""
from .ssd import SingleShotDetector, SSDInference
from .ssd300 import SSDVGG16, SSD300MobileNetV2
from .ssd_fpn import SSDMobileNetV1FPN, SSDResNet50FPN

__all__ = ["SSD300MobileNetV2", "SSDInference", "SSDMobileNetV1FPN", "SSDResNet50FPN", "SSDVGG16",
           "SingleShotDetector"]
