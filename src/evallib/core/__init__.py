"""Core: what every layer may use. Errors, dates, safe file writing, fingerprints, and the text catalogue.

Nothing here knows about programmes, data files, statistics or reports.
"""
