"""Schemathesis hooks for fuzzing ropa's GraphQL endpoint (loaded by scripts/fuzz.py).

- Strategies for the schema's custom scalars (`DateTime`, `NaiveDate`, `JSON`), valid and not.
- Hostile strings: every generated query is also sent with one of its string arguments (or all
  of them) holding a NUL byte, another control character, a bidi override or zero-width
  character, or 100 kB of text; the service must refuse those with a code, never fail.
- The check `no_server_error`: what a server error is here. Refusals (`FORBIDDEN`, `NOT_FOUND`,
  `CONFLICT`, `BAD_USER_INPUT`, the limits' codes…) are answers; a server error is an HTTP 5xx,
  an error coded `INTERNAL_SERVER_ERROR`, an error with no code at all (every error the
  service means to give has one), or a response that is not a GraphQL response.
"""

import json

import graphql
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


# What a hostile string holds: each is put inside the generated value, or (the last) replaces it.
HOSTILE = ["\x00", "\x01", "\x08", "\x1b[31m", "\x7f", "\u0085", "\r\n", "\u202e", "\u2066", "\u200b", "\ufeff"]
OVER_LONG = len(HOSTILE)


def hostile(value, kind):
    if kind == OVER_LONG:
        return "x" * 100_000
    return value[:1] + HOSTILE[kind] + value[1:]


class _Poison(graphql.Visitor):
    """Replaces string literal number `target` (every one when None) by its hostile variant."""

    def __init__(self, target, kind):
        super().__init__()
        self.target, self.kind, self.seen = target, kind, 0

    def enter_string_value(self, node, *_):
        index, self.seen = self.seen, self.seen + 1
        if self.target is None or index == self.target:
            return graphql.StringValueNode(value=hostile(node.value, self.kind), block=False)
        return None


def _strings(document):
    counter = _Poison(-1, 0)
    graphql.visit(document, counter)
    return counter.seen


@schemathesis.hook
def flatmap_body(context, body):
    """The generated query as it is, or with hostile strings in its arguments."""
    if not isinstance(body, graphql.DocumentNode):
        return st.just(body)
    count = _strings(body)
    if count == 0:
        return st.just(body)
    one = st.tuples(st.integers(0, count - 1), st.integers(0, OVER_LONG))
    # Short hostile strings in every argument at once; a long one only in one, within the body limit.
    every = st.tuples(st.none(), st.integers(0, OVER_LONG - 1))
    poisoned = st.one_of(one, every).map(lambda choice: graphql.visit(body, _Poison(*choice)))
    return st.one_of(st.just(body), poisoned)


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
