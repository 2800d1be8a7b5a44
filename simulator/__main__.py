"""`python -m simulator` is the same as `ijsim`."""
from simulator.signals import start

start()
