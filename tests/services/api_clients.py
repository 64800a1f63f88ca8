"""Case API clients for tests: one with a token, and a JSON POST with its headers."""

import json

from services.models import ApiClient


def make_client(name, services, *, can_write=True):
    client = ApiClient.objects.create(name=name, can_write=can_write)
    client.services.set(services)
    token = client.issue_token()
    client.save()
    return client, token


def post(client, url, body, auth, **extra):
    return client.post(
        url,
        data=body if isinstance(body, (str, bytes)) else json.dumps(body),
        content_type=extra.pop("content_type", "application/json"),
        **auth,
        **extra,
    )
