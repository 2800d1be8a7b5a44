"""The Monte Carlo run: sampling, draws, projection, the run driver, summaries, events, comparison."""
