"""AVSBench data: the three published layouts (S4, MS3, AVSS) read by one dataset class."""

from ccformer.data.dataset import AVSDataset, rgb_to_class
from ccformer.data.layouts import LAYOUTS, DataLayoutError, Layout, VideoRecord, read_index, resolve_root

__all__ = ["LAYOUTS", "AVSDataset", "DataLayoutError", "Layout", "VideoRecord", "read_index", "resolve_root",
           "rgb_to_class"]
