"""Schemathesis hooks for fuzzing ropa's GraphQL endpoint (loaded by scripts/fuzz.py).

- Strategies for the schema's custom scalars (`DateTime`, `NaiveDate`, `JSON`), valid and not.
- The check `no_server_error`: what a server error is here. Refusals (`FORBIDDEN`, `NOT_FOUND`,
  `CONFLICT`, `BAD_USER_INPUT`, the limits' codes…) are answers; a server error is an HTTP 5xx,
  an error coded `INTERNAL_SERVER_ERROR`, an error with no code at all (every error the
  service means to give has one), or a response that is not a GraphQL response.
"""

import json

import schemathesis
from hypothesis import strategies as st
from schemathesis.graphql import nodes

schemathesis.graphql.scalar(
    "DateTime",
    st.one_of(
        st.datetimes(timezones=st.just(__import__("datetime").timezone.utc)).map(lambda d: nodes.String(d.isoformat())),
        st.text(max_size=30).map(nodes.String),
    ),
)
schemathesis.graphql.scalar(
    "NaiveDate",
    st.one_of(st.dates().map(lambda d: nodes.String(d.isoformat())), st.text(max_size=12).map(nodes.String)),
)
schemathesis.graphql.scalar(
    "JSON",
    st.one_of(st.text(max_size=20).map(nodes.String), st.integers().map(nodes.Int), st.booleans().map(nodes.Boolean)),
)


@schemathesis.check
def no_server_error(ctx, response, case):
    """No 5xx, no INTERNAL_SERVER_ERROR, no error without a code."""
    if response.status_code >= 500:
        raise AssertionError(f"HTTP {response.status_code}: {response.text[:500]}")
    try:
        payload = json.loads(response.content)
    except ValueError:
        raise AssertionError(f"not JSON (HTTP {response.status_code}): {response.text[:300]}")
    if not isinstance(payload, dict):
        raise AssertionError("the response is not a JSON object")
    for error in payload.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        if code is None:
            raise AssertionError(f"an error without a code: {json.dumps(error)[:500]}")
        if code == "INTERNAL_SERVER_ERROR":
            raise AssertionError(f"an internal error: {json.dumps(error)[:500]}")
