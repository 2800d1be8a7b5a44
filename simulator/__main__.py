"""`python -m simulator` is the same as `ijsim`."""
from simulator._start import start

start()
