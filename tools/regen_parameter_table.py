"""Regenerate the parameter table inside docs/scenarios.md."""
from pathlib import Path
from simulator.scenario.reference import BEGIN, END, parameter_table
p = Path("docs/scenarios.md")
text = p.read_text(encoding="utf-8")
head, rest = text.split(BEGIN, 1)
_, tail = rest.split(END, 1)
p.write_text(head + parameter_table() + tail, encoding="utf-8")
