"""Test support shared by every test package: chains, renderers, ports and waiting on conditions.

Importable as ``support`` (pytest puts ``tests/`` on ``sys.path`` for the root conftest); fixtures
stay in the conftest files, the helpers they are made of live here.
"""
