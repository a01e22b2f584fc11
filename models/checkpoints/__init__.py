"""Reading published checkpoints (ml-cvnets, Hugging Face, timm) into our models."""

from models.checkpoints.layouts import LAYOUTS, CheckpointLayout
from models.checkpoints.loader import load_checkpoint, read_state_dict

__all__ = ["LAYOUTS", "CheckpointLayout", "load_checkpoint", "read_state_dict"]
