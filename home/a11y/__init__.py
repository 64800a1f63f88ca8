"""The accessibility audit: every live page, every journey step and error state, in
headless Chromium with axe-core and scripted checks for what axe cannot see.

``audit.Audit`` runs it, ``report`` writes the JSON and HTML reports, and
``journeys`` holds the journeys other apps register through the
``register_accessibility_journeys`` hook. ``manage.py a11y_audit`` is the command.
"""
