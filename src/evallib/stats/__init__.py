"""Statistics: estimates with intervals, difference-in-differences, power, simulation.

Pure numerical functions over arrays and tables. Every estimate carries its interval and n
(:class:`~evallib.stats.estimates.Estimate`). Knows nothing of programmes or reports.
"""
