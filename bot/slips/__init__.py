"""The packing-slip corpus (seeded, with ground truth) and `python -m bot slips accuracy` that measures on it."""
