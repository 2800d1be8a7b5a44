"""`python -m simulator` is the same as `ijsim`."""
from .cli import entry

entry()
