"""Demo content for the Guildhall Borough Council site and its country parks microsite.

``content`` and ``microsite`` hold the pages as plain data; ``streams`` has the helpers
that write StreamField blocks in Wagtail's raw JSON shape; ``builders`` turns the data
into pages, snippets, settings, sites and users (``manage.py load_demo``);
``generator`` makes extra service pages for load tests (``manage.py generate_pages``).
"""
