"""Casework (個別支援): people, profiles, consent, plans, placements, evaluations, fees, audit.

Layers: ``models`` (tables), ``schemas`` (validated inputs and outputs), ``repository`` (every
query), ``services`` (the rules; never commit), ``capacity`` (the only module that touches the
catalog's tables). Library code never reads the environment: the app calls
``casework.crypto.configure(key)`` at start-up.
"""
