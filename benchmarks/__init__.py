"""Stage 4: desktop latency harness and the v1-vs-v2 study; results are data, reports are generated."""
