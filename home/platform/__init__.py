"""Platform plumbing every app above ``home`` uses: the page cache and its purge
backend, what a publish purges from the front cache (nginx), the request middleware
(CSP, lazy sessions and messages), rate limits, the Redis cache backend and rich-text
sanitising.

Nothing here knows about the site's page types, services or residents: these modules
import Django, Wagtail and ``personalisation`` (for the per-segment page cache) only,
so ``services``, ``myaccount`` and ``search`` may use them without pulling in the home
app's models.
"""
