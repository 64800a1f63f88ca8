"""A test-only transport node for osmem-server.

The Elasticsearch 8 client sends ``application/vnd.elasticsearch+json;
compatible-with=8`` as Content-Type and Accept; osmem-server (an OpenSearch-
compatible stand-in) answers those with 406. This node sends plain JSON instead. A
real Elasticsearch cluster does not need it: set ELASTICSEARCH_URL and the tests
use the client as production does.
"""

import re

from elastic_transport import Urllib3HttpNode

# application/vnd.elasticsearch+json; compatible-with=8 -> application/json
# application/vnd.elasticsearch+x-ndjson; compatible-with=8 -> application/x-ndjson
VERSIONED = re.compile(r"application/vnd\.elasticsearch\+([\w-]+)(;.*)?")


class PlainJsonNode(Urllib3HttpNode):
    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        if headers is not None:
            headers = headers.copy()
            for name in ("content-type", "accept"):
                value = headers.get(name)
                if value:
                    headers[name] = VERSIONED.sub(r"application/\1", value)
        return super().perform_request(
            method, target, body=body, headers=headers, **kwargs
        )
