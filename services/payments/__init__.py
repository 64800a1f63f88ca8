"""Payments: taking, checking and refunding card payments for cases
(``actions``), the provider's return and webhooks (``views``), and the local
sandbox card page (``sandbox``)."""
