"""Synthetic data: realistic example deliveries of any size, with the effects planted in them.

Uses DUO's list of secondary-school locations (CC0) for names and sizes; every file is marked
as synthetic.
"""
