"""Ingest: read the files schools deliver (CSV, XLSX) into tables, and type every cell.

Finds the schools and their files in a raw data folder, reads each file as delivered
(remembering every row's number as the school sees it) and types the cells, one problem
per bad cell. Knows the contract, not the rules between rows or files (that is validation).
"""
