"""Flowmap's benchmark: real websocket clients against Flowmap and two no-work relays.

Run it as `python bench/run.py` (everything, writes bench/results/) or
`python bench/run.py --quick` (W1 against B0 and Flowmap); see bench/README.md.
"""
