"""Evaluation: the processed data set, measures over it, targets evaluated into statuses, privacy.

Turns a programme and its processed data into a status per target and scope, each with its
evidence (estimate, interval, n); decides what may be shown (small-cell suppression).
"""
