"""Weights: reading checkpoints, strict and matching loads with their ``LoadReport``, and classifier heads
shaped by the checkpoint (``heads``)."""
from .checkpoint import LoadReport, load_matching, load_strict, lookup_key, read_checkpoint
from .heads import HeadMismatch, caller_gave_class_count, class_count_keys, head_mismatch, takes_shapes

__all__ = ["HeadMismatch", "LoadReport", "caller_gave_class_count", "class_count_keys", "head_mismatch",
           "load_matching", "load_strict", "lookup_key", "read_checkpoint", "takes_shapes"]
