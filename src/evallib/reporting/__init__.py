"""Reporting: what a reader sees. HTML building blocks, charts, wording, and the report sections.

The school report, the regional overview and the index are built here from evaluation
results; every word comes from the text catalogue, in Dutch or English.
"""
