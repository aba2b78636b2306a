"""Validation: the data contract's rules over the typed tables, and the Parquet output.

Runs great_expectations suites over every school's files, turns failures into problems a
school's administrator can act on, and writes the valid schools' data to ``data/processed``.
Also writes the Excel intake templates.
"""
