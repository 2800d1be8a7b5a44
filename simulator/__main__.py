"""`python -m simulator` is the same as `ijsim`."""
from ._start import start

start()
