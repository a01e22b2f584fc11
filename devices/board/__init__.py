"""Linux boards (Raspberry Pi, Jetson, any host with Python) measured over SSH with the desktop's own code."""
