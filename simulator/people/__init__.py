"""Individual-level simulation of the people exchange with simpy: every person is a process.

`resources` holds the queueing building blocks (a FIFO stage whose capacity can change, with
statistics), `queueing` the analytic M/M/c results used to check them, `model` one replication of
a scenario, and `runner` seeded replications and their summaries.
"""
from simulator.people.queueing import erlang_c, mmc_mean_wait
from simulator.people.runner import FlowsResult, run_flows

__all__ = ["run_flows", "FlowsResult", "erlang_c", "mmc_mean_wait"]
