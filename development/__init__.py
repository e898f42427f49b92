"""資源開拓 (resource development) and reporting: what-if assignment, unmet needs, charts.

The pure computations here take plain matching records (``PersonProfile``, ``Resource``, a
fitted ``Ranker``) so they run and are tested without a database.
"""
