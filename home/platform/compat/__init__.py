"""Private parts of the libraries the platform relies on, one small module each.

Each module names the version it was checked against and what breaks when the
library changes; ``tests/home/test_compat.py`` pins the behaviour relied on, so an
upgrade that changes it fails one test there instead of the site.
"""
