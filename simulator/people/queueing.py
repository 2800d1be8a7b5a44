"""Analytic results for the M/M/c queue, the known answers the simulation is checked against.

Erlang C (Erlang 1917; e.g. Gross, Shortle, Thompson & Harris, *Fundamentals of Queueing
Theory*, 4th ed., 2008, section 2.3): with arrival rate lam, service rate mu per server, c
servers and offered load a = lam / mu < c,

    C(c, a) = (a^c / c!) (c / (c - a)) / ( sum_{k<c} a^k / k!  +  (a^c / c!) (c / (c - a)) )
    W_q     = C(c, a) / (c mu - lam)

C is the probability that an arrival waits; W_q the mean wait in the queue. Little's law
(Little 1961): L_q = lam W_q.
"""
from __future__ import annotations



def erlang_c(servers: int, offered_load: float) -> float:
    """Probability that an arrival has to wait in an M/M/c queue."""
    c, a = servers, offered_load
    if c < 1 or a < 0:
        raise ValueError(f"need servers >= 1 and offered_load >= 0, got servers={c}, offered_load={a}")
    if a >= c:
        raise ValueError(f"unstable queue: offered load {a} must be below the number of servers {c}")
    # Terms a^k / k! built iteratively to avoid overflow for large c.
    term, total = 1.0, 1.0
    for k in range(1, c):
        term *= a / k
        total += term
    top = term * a / c * (c / (c - a))
    return top / (total + top)


def mmc_mean_wait(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Mean time in the queue (before service) of an M/M/c queue."""
    if arrival_rate <= 0 or service_rate <= 0:
        raise ValueError("rates must be > 0")
    a = arrival_rate / service_rate
    return erlang_c(servers, a) / (servers * service_rate - arrival_rate)
