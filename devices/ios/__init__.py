"""iPhone and iPad: a Swift package times Core ML per compute-unit setting on the device; Python stages and collects."""
