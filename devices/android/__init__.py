"""Android phones: LiteRT's own ``benchmark_model`` binary, run over ``adb shell``."""
