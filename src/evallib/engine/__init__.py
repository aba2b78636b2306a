"""Engine: the whole run. Plan, execute notebooks on warm kernels, render, cache, verify.

Validates the raw data, builds one report per school and the overview (papermill
parameters, nbclient execution, nbconvert rendering), locally or on Dask, and writes the
index, ledger and manifest; ``verify`` reruns it all and compares byte for byte.
"""
