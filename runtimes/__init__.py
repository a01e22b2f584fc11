"""Stage 3: load an exported artifact and run it (onnxruntime, LiteRT, Core ML, PyTorch eager)."""
