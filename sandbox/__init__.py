"""Test and demo equipment: loopback fakes of Slack, Katana, Unleashed, Amazon and Anthropic, the shift
harness, the demo, the fault scenarios and the packing-slip corpus.

Nothing in `bot`, `commands`, `integrations` or `models` imports this package (the import contract in
pyproject.toml says so): the shipped bot never depends on its own test equipment. `sandbox.memory_indexes`
(key lookups for the in-memory store) is installed by the harness and by `python -m sandbox.serve`.
"""
