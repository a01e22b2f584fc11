"""Stage 2 of the pipeline: turn a ``models`` network into Core ML, TFLite and ONNX artifacts."""
