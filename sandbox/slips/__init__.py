"""The packing-slip corpus (seeded, with ground truth) and `python -m sandbox slips accuracy` that measures on it."""
