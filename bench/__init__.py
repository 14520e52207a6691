"""`make bench`: figures that show the bot is fast, each a ratio against a baseline measured in the
same run, or a count, so the table holds on a noisy machine. See bench/__main__.py for the rows."""
