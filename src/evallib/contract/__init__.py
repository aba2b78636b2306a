"""The contract: what a programme file and a school's raw files must contain.

:mod:`~evallib.contract.schema` describes the raw files (one source for reading, validation,
templates and ``docs/data-format.md``); :mod:`~evallib.contract.programme` loads and checks a
programme file.
"""
