"""Estimation from history: the series and their files, the trade process fits, calibration, backtest, the exchange calibration."""
