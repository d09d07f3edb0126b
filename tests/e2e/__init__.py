"""The end-to-end tier: real servers on free ports (conftest.py).

Every process the tier starts inherits this environment, so each runs its models on one
thread unless OMP_NUM_THREADS says otherwise (torch, faiss and numpy's OpenBLAS read it).
`make test-e2e` runs E2E_WORKERS bots on two cores, and torch's idle threads spin while
they wait for a core: encoding 40 questions with two torch threads beside two busy
processes took 13.0 CPU-s (16.0 s), with one thread 4.0 CPU-s (6.2 s). Set here, before
conftest.py imports faiss, whose OpenMP library reads the variable as it loads.
"""

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
