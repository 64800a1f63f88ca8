"""The demo council: Guildhall Borough Council and its country parks microsite.

The pages, contact details, staff users and site settings are data files in
``data/`` (YAML), read and checked by ``loader``; ``builders`` turns them into
pages, snippets, settings, sites and users (``manage.py load_demo``), and other
apps add their own demo records through its signals. The format of the files is
in ``loader``'s docstring and ``docs/demo-content.md``.
"""
