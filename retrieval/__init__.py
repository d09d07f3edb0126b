"""Knowledge base, index and hybrid retrieval for the career advisor.

Plain Python that knows nothing of Rasa: the action server calls it, and it is tested
and benchmarked on its own. `python -m retrieval --help` lists its commands.
"""
